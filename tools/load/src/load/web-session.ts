import { isAbsolute, join, relative } from 'node:path'
import { type LoadOptions, parseLoadArgs } from './args.ts'
import { ordersPerSecond } from './capacity.ts'
import type { Tick } from './live.ts'
import type { ProgressSink } from './progress.ts'
import { type RunDeps, runLoad } from './run.ts'
import type { Summary } from './summary.ts'

// What the page's form sends; empty fields take the scenario's defaults.
export type RunForm = Partial<
  Record<'users' | 'spawnRate' | 'duration' | 'rate' | 'timeout' | 'host', string>
> & {
  scenario?: string
}

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

export type Outcome = { summary: Summary; table: string; report: string } | { error: string }
export type State = 'idle' | 'load' | 'drain' | 'done'
export type Snapshot = {
  state: State
  run: RunInfo | null
  ticks: Tick[]
  notes: string[]
  outcome: Outcome | null
}
export type SessionEvent =
  | { type: 'run'; run: RunInfo }
  | { type: 'tick'; tick: Tick }
  | { type: 'note'; text: string }
  | { type: 'done'; outcome: Outcome }

export type Started =
  | { ok: true; run: RunInfo }
  | { ok: false; status: 400 | 409; error: 'invalid_run' | 'busy'; message: string }

const pageScenarios = new Set(['sync', 'async', 'flash', 'normal'])
const formFlags = {
  users: '--users',
  spawnRate: '--spawn-rate',
  duration: '--duration',
  rate: '--rate',
  timeout: '--timeout',
  host: '--host',
} as const

export type SessionDeps = {
  // The tool's own flags (targets, capacity, drain), applied to every run after the form's.
  argv: string[]
  env: NodeJS.ProcessEnv
  defaultOut: string
  sources: (options: LoadOptions) => Pick<RunDeps, 'readDepth' | 'readProcessor'>
  progress?: ProgressSink
}

// One run at a time, started and stopped from the page; the last one stays on show until the next.
export function createSession(deps: SessionDeps) {
  const listeners = new Set<(event: SessionEvent) => void>()
  let snapshot: Snapshot = { state: 'idle', run: null, ticks: [], notes: [], outcome: null }
  let stops = { load: new AbortController(), drain: new AbortController() }
  let running: Promise<void> = Promise.resolve()
  let runs = 0
  const emit = (event: SessionEvent) => {
    for (const listener of listeners) listener(event)
  }

  function start(form: RunForm): Started {
    if (snapshot.state === 'load' || snapshot.state === 'drain') {
      return { ok: false, status: 409, error: 'busy', message: 'a run is under way: stop it first' }
    }
    const parsed = parse(form)
    if (typeof parsed === 'string') {
      return { ok: false, status: 400, error: 'invalid_run', message: parsed }
    }
    const options = parsed
    runs += 1
    const run: RunInfo = {
      id: runs,
      scenario: options.scenario,
      description: options.description,
      host: options.host,
      path: options.path,
      mode: options.mode,
      settings: {
        users: options.users,
        spawnRate: options.spawnRate,
        durationS: options.durationS,
        rate: options.rate,
        timeoutS: options.timeoutS,
        ...options.capacity,
      },
      slots: options.capacity.workers * options.capacity.concurrency,
      capacity: ordersPerSecond(options.capacity),
      drain: options.drain && options.path === '/orders/async',
    }
    stops = { load: new AbortController(), drain: new AbortController() }
    snapshot = { state: 'load', run, ticks: [], notes: [], outcome: null }
    emit({ type: 'run', run })
    const current = snapshot
    running = runLoad(options, {
      ...deps.sources(options),
      progress: deps.progress,
      stop: stops.load.signal,
      stopDrain: stops.drain.signal,
      onTick: (tick) => {
        current.ticks.push(tick)
        current.state = tick.phase
        emit({ type: 'tick', tick })
      },
      onNote: (text) => {
        current.notes.push(text)
        emit({ type: 'note', text })
      },
    }).then(
      ({ summary, table, dir }) => finish(current, { summary, table, report: shown(dir) }),
      (err: Error) => finish(current, { error: err.message }),
    )
    return { ok: true, run }
  }

  function finish(current: Snapshot, outcome: Outcome) {
    current.state = 'done'
    current.outcome = outcome
    emit({ type: 'done', outcome })
  }

  // The form's fields become flags after the tool's own, so they win; parseLoadArgs checks both.
  function parse(form: RunForm) {
    const scenario = form.scenario ?? 'async'
    if (!pageScenarios.has(scenario)) {
      return `scenario must be one of ${[...pageScenarios].join(', ')}`
    }
    const fields = Object.entries(formFlags).flatMap(([key, flag]) => {
      const value = form[key as keyof typeof formFlags]?.trim()
      return value ? [flag, value] : []
    })
    try {
      const command = parseLoadArgs([scenario, ...deps.argv, ...fields], deps.env, deps.defaultOut)
      return command.command === 'run' ? command.options : 'not a run'
    } catch (err) {
      return (err as Error).message
    }
  }

  return {
    start,
    // While loading, ends the load (the drain is still watched); while draining, ends the wait.
    stop(): State {
      if (snapshot.state === 'load') stops.load.abort()
      else if (snapshot.state === 'drain') stops.drain.abort()
      return snapshot.state
    },
    snapshot: () => snapshot,
    subscribe(listener: (event: SessionEvent) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      stops.load.abort()
      stops.drain.abort()
      await running
    },
  }
}

// The page shows where the report is; under the folder the tool runs in, relative to it.
function shown(dir: string) {
  const inside = relative(process.cwd(), dir)
  return join(inside.startsWith('..') || isAbsolute(inside) ? dir : inside, 'report.html')
}
