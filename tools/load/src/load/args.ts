import { parseArgs } from 'node:util'
import { localQueues, type Queues } from '../queue/depth.ts'
import { type Capacity, defaultCapacity } from './capacity.ts'
import { integer, number, url } from './flag-values.ts'
import { isScenarioName, type Scenario, type ScenarioName, scenarios } from './scenarios.ts'
import { isLoopback, resolveTargets, type Targets } from './targets.ts'

export type LoadOptions = Scenario &
  Targets & {
    scenario: ScenarioName
    queues: Queues
    drain: boolean
    drainTimeoutS: number
    // Async only: poll each 202's Location until the order ends, within the drain's deadline.
    follow: boolean
    out: string
    capacity: Capacity
  }

// The page's address; a host other than loopback only with --allow-remote.
export type WebOptions = { host: string; port: number }

export type Command =
  | { command: 'help' }
  | { command: 'run'; options: LoadOptions }
  | { command: 'compare'; sync: LoadOptions; async: LoadOptions }
  // Each run started from the page is parsed as a scenario with these flags after the form's.
  | { command: 'web'; web: WebOptions; argv: string[] }

// compare runs both phases with the same users, so the only difference is the endpoint.
const compareDefaults = { users: 20, spawnRate: 10, durationS: 30 }

const flags = {
  host: { type: 'string' },
  users: { type: 'string' },
  'spawn-rate': { type: 'string' },
  duration: { type: 'string' },
  timeout: { type: 'string' },
  rate: { type: 'string' },
  drain: { type: 'boolean', default: true },
  'drain-timeout': { type: 'string', default: '300' },
  follow: { type: 'boolean', default: false },
  endpoint: { type: 'string' },
  processor: { type: 'string' },
  queue: { type: 'string' },
  dlq: { type: 'string' },
  aws: { type: 'boolean', default: false },
  out: { type: 'string' },
  workers: { type: 'string' },
  concurrency: { type: 'string' },
  'processing-ms': { type: 'string' },
  web: { type: 'boolean', default: false },
  'web-host': { type: 'string', default: '127.0.0.1' },
  'web-port': { type: 'string', default: '8089' },
  'allow-remote': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

export function parseLoadArgs(argv: string[], env: NodeJS.ProcessEnv, defaultOut: string): Command {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: flags,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  })
  const name = positionals[0]
  if (values.help) return { command: 'help' }
  if (values.web) {
    if (name !== undefined)
      throw new Error(`--web takes no scenario (got "${name}"): pick it on the page`)
    const web = webOptions(values['web-host'], values['web-port'], values['allow-remote'])
    // The same flags, checked now rather than at the first run.
    const rest = tokens.flatMap((token) =>
      token.kind === 'option' && !webFlags.has(token.name)
        ? [token.rawName, ...(token.value === undefined ? [] : [token.value])]
        : [],
    )
    parseLoadArgs(['async', ...rest], env, defaultOut)
    return { command: 'web', web, argv: rest }
  }
  if (name === undefined) return { command: 'help' }
  if (positionals.length > 1)
    throw new Error(`one scenario at a time, got: ${positionals.join(' ')}`)
  for (const key of ['host', 'endpoint', 'processor'] as const) url(values[key], `--${key}`)
  // The orders are followed while the queue drains; without the drain there is no time to.
  if (values.follow && !values.drain) throw new Error('--follow needs the drain: drop --no-drain')

  const targets = resolveTargets(values, env)
  const shared = {
    ...targets,
    queues: { queue: values.queue ?? localQueues.queue, dlq: values.dlq ?? localQueues.dlq },
    drain: values.drain,
    drainTimeoutS: number(values['drain-timeout'], '--drain-timeout', 0) ?? 300,
    out: values.out ?? defaultOut,
    capacity: capacity(values, env),
  }
  const build = (scenario: ScenarioName, base: Partial<Scenario> = {}): LoadOptions => {
    const defaults: Scenario = { ...scenarios[scenario], ...base }
    return {
      ...defaults,
      ...shared,
      scenario,
      // A sync answer is already the end of the order: nothing to follow.
      follow: values.follow && defaults.path === '/orders/async',
      users: integer(values.users, '--users') ?? defaults.users,
      spawnRate: number(values['spawn-rate'], '--spawn-rate') ?? defaults.spawnRate,
      durationS: number(values.duration, '--duration') ?? defaults.durationS,
      timeoutS: number(values.timeout, '--timeout') ?? defaults.timeoutS,
      rate: number(values.rate, '--rate') ?? defaults.rate,
    }
  }
  if (name === 'compare') {
    return {
      command: 'compare',
      sync: build('sync', compareDefaults),
      async: build('async', compareDefaults),
    }
  }
  if (!isScenarioName(name)) {
    throw new Error(`unknown scenario "${name}"; use one of: ${scenarioNames().join(', ')}`)
  }
  return { command: 'run', options: build(name) }
}

const webFlags = new Set(['web', 'web-host', 'web-port', 'allow-remote'])

function webOptions(host: string, rawPort: string, allowRemote: boolean): WebOptions {
  const port = Number(rawPort)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--web-port must be a port number, got "${rawPort}"`)
  }
  if (!allowRemote && !isLoopback(`http://${host.includes(':') ? `[${host}]` : host}`)) {
    throw new Error(
      `--web-host ${host} would let anyone who reaches this machine start a load from it; ` +
        'add --allow-remote if that is what you want',
    )
  }
  return { host, port }
}

type CapacityFlags = { workers?: string; concurrency?: string; 'processing-ms'?: string }

function capacity(values: CapacityFlags, env: NodeJS.ProcessEnv): Capacity {
  const defaults = defaultCapacity(env)
  return {
    workers: integer(values.workers, '--workers') ?? defaults.workers,
    concurrency: integer(values.concurrency, '--concurrency') ?? defaults.concurrency,
    processingMs: number(values['processing-ms'], '--processing-ms', 0) ?? defaults.processingMs,
  }
}

export function scenarioNames(): string[] {
  return [...Object.keys(scenarios), 'compare']
}
