import { type LoadOptions, parseLoadArgs } from './args.ts'
import { ordersPerSecond } from './capacity.ts'
import type { Summary } from './summary.ts'

// What the page's form sends; empty fields take the scenario's defaults.
export type RunForm = Partial<
  Record<'users' | 'spawnRate' | 'duration' | 'rate' | 'timeout' | 'host', string>
> & {
  scenario?: string
}

// A run as the page shows it before its first tick.
export type RunInfo = {
  id: number
  scenario: string
  description: string
  host: string
  path: string
  mode: 'closed' | 'open'
  settings: Summary['settings']
  slots: number
  capacity: number | null
  drain: boolean
}

export type ToolFlags = { argv: string[]; env: NodeJS.ProcessEnv; defaultOut: string }

const pageScenarios = new Set(['sync', 'async', 'flash', 'normal'])
const formFlags = {
  users: '--users',
  spawnRate: '--spawn-rate',
  duration: '--duration',
  rate: '--rate',
  timeout: '--timeout',
  host: '--host',
} as const

// The form's fields become flags after the tool's own, so they win, and parseLoadArgs checks
// both as it does on the command line: the page's errors read like the terminal's.
export function parseForm(form: RunForm, tool: ToolFlags): LoadOptions | string {
  const scenario = form.scenario ?? 'async'
  if (!pageScenarios.has(scenario))
    return `scenario must be one of ${[...pageScenarios].join(', ')}`
  const fields = Object.entries(formFlags).flatMap(([key, flag]) => {
    const value = form[key as keyof typeof formFlags]?.trim()
    return value ? [flag, value] : []
  })
  try {
    const command = parseLoadArgs([scenario, ...tool.argv, ...fields], tool.env, tool.defaultOut)
    return command.command === 'run' ? command.options : 'not a run'
  } catch (err) {
    return (err as Error).message
  }
}

export function runInfo(id: number, o: LoadOptions): RunInfo {
  const { users, spawnRate, durationS, rate, timeoutS } = o
  return {
    id,
    scenario: o.scenario,
    description: o.description,
    host: o.host,
    path: o.path,
    mode: o.mode,
    settings: { users, spawnRate, durationS, rate, timeoutS, ...o.capacity },
    slots: o.capacity.workers * o.capacity.concurrency,
    capacity: ordersPerSecond(o.capacity),
    drain: o.drain && o.path === '/orders/async',
  }
}
