import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SHUTDOWN_DEADLINE_MS } from '@orders/service/drain'
import { parse, type YAMLSeq } from 'yaml'
import { z } from 'zod'

export const repoPath = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

// CloudFormation's short-form intrinsics, read as their long forms so templates can be inspected.
const listForm = (name: string) => ({
  tag: `!${name}`,
  collection: 'seq' as const,
  resolve: (value: YAMLSeq) => ({ [`Fn::${name}`]: value.toJSON() }),
})
const cloudFormationTags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
  ...['Equals', 'If', 'Not', 'And', 'Or', 'Join', 'Select', 'Sub'].map(listForm),
]

export function readYaml(path: string): unknown {
  return parse(readFileSync(repoPath(path), 'utf8'), { customTags: cloudFormationTags })
}

// Copilot's Duration fields: "300ms", "30s", "2m", "96h".
const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, 'a Copilot duration such as 300ms, 30s, 2m or 96h')
  .transform((text) => {
    const [, amount = '', unit = 'ms'] = /^(\d+)(ms|s|m|h)$/.exec(text) ?? []
    return Number(amount) * units[unit as keyof typeof units]
  })

const build = z.object({ dockerfile: z.string(), context: z.string() })
const range = z.object({ min: z.int().min(1), max: z.int() })
const variables = z.record(z.string(), z.string())

export const receiverManifest = z.object({
  name: z.string(),
  type: z.string(),
  image: z.object({ build, port: z.int() }),
  http: z.object({
    path: z.string(),
    healthcheck: z.object({
      path: z.string(),
      success_codes: z.string(),
      healthy_threshold: z.int().min(2).max(10),
      unhealthy_threshold: z.int().min(2).max(10),
      interval: duration,
      timeout: duration,
      grace_period: duration,
    }),
  }),
  cpu: z.int(),
  memory: z.int(),
  count: z.object({
    range,
    cpu_percentage: z.int().optional(),
    requests: z.int().optional(),
  }),
  publish: z.object({ topics: z.array(z.object({ name: z.string() })) }),
  variables,
})

export const processorManifest = z.object({
  name: z.string(),
  type: z.string(),
  image: z.object({
    build,
    healthcheck: z.object({ command: z.array(z.string()), timeout: duration, interval: duration }),
  }),
  subscribe: z.object({
    topics: z.array(z.object({ name: z.string(), service: z.string() })),
    queue: z.object({
      timeout: duration,
      retention: duration,
      dead_letter: z.object({ tries: z.int() }),
    }),
  }),
  cpu: z.int(),
  memory: z.int(),
  count: z.object({
    range,
    queue_delay: z.object({ acceptable_latency: duration, msg_processing_time: duration }),
  }),
  variables,
})

const subnets = z.array(z.object({ cidr: z.string() }))
export const environmentManifest = z.object({
  name: z.string(),
  type: z.string(),
  network: z.object({
    vpc: z.object({ cidr: z.string(), subnets: z.object({ public: subnets, private: subnets }) }),
  }),
})

// The SIGTERM drain deadline as the services' code declares it: both drain through the shared
// drainOnSignals, with its default deadline.
export function drainDeadlineSeconds(service: 'receiver' | 'processor') {
  const modules = { receiver: '@orders/receiver/server', processor: '@orders/processor/host' }
  const source = readFileSync(fileURLToPath(import.meta.resolve(modules[service])), 'utf8')
  if (!source.includes('drainOnSignals(') || source.includes('deadlineMs:')) {
    throw new Error(`${modules[service]} does not drain with the default deadline`)
  }
  return SHUTDOWN_DEADLINE_MS / 1000
}
