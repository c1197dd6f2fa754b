import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { z } from 'zod'

// The sizes Copilot deploys, read from the manifests so the cost follows any change to them.
export type ServiceSize = {
  vcpu: number
  memoryGb: number
  minTasks: number
  maxTasks: number
  // Tasks from this count on run on Fargate Spot (Copilot's count.range.spot_from); none when unset.
  spotFrom: number | undefined
  variables: Record<string, string>
  // Copilot's count.requests: requests per task per minute the service scales on.
  requestsPerTaskPerMinute: number | undefined
}

const range = z.union([
  z.object({
    min: z.number().int().min(0),
    max: z.number().int().min(1),
    spot_from: z.number().int().min(1).optional(),
  }),
  z
    .string()
    .regex(/^\d+-\d+$/, 'a range like "1-10"')
    .transform((text) => {
      const [min = 0, max = 0] = text.split('-').map(Number)
      return { min, max, spot_from: undefined }
    }),
])

const manifest = z.object({
  cpu: z.number().positive(),
  memory: z.number().positive(),
  count: z.union([
    z.number().int().min(0),
    z.object({ range, requests: z.number().positive().optional() }),
  ]),
  variables: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
})

export function serviceSize(yamlText: string): ServiceSize {
  const parsed = manifest.safeParse(parse(yamlText))
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'manifest'}: ${i.message}`).join('; '),
    )
  }
  const m = parsed.data
  const variables = Object.fromEntries(Object.entries(m.variables).map(([k, v]) => [k, String(v)]))
  const base = { vcpu: m.cpu / 1024, memoryGb: m.memory / 1024, variables }
  if (typeof m.count === 'number') {
    return {
      ...base,
      minTasks: m.count,
      maxTasks: m.count,
      spotFrom: undefined,
      requestsPerTaskPerMinute: undefined,
    }
  }
  const { range: r, requests } = m.count
  return {
    ...base,
    minTasks: r.min,
    maxTasks: r.max,
    spotFrom: r.spot_from,
    requestsPerTaskPerMinute: requests,
  }
}

export async function readServiceSize(path: string): Promise<ServiceSize> {
  const text = await readFile(path, 'utf8')
  try {
    return serviceSize(text)
  } catch (err) {
    throw new Error(`cannot read the sizes in ${path}: ${(err as Error).message}`)
  }
}

// The manifests Copilot deploys the two services from.
export const manifestPaths = {
  processor: fileURLToPath(new URL('../../../copilot/processor/manifest.yml', import.meta.url)),
  receiver: fileURLToPath(new URL('../../../copilot/receiver/manifest.yml', import.meta.url)),
}

export async function readDeployedSizes() {
  const [processor, receiver] = await Promise.all([
    readServiceSize(manifestPaths.processor),
    readServiceSize(manifestPaths.receiver),
  ])
  return { processor, receiver }
}

// A manifest variable that must be a positive number, e.g. PROCESSOR_CONCURRENCY.
export function numericVariable(size: ServiceSize, name: string): number {
  const value = Number(size.variables[name])
  if (!(value > 0)) throw new Error(`the manifest's ${name} must be a number > 0`)
  return value
}
