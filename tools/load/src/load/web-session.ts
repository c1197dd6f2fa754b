import { isAbsolute, join, relative } from 'node:path'
import type { LoadOptions } from './args.ts'
import type { Tick } from './live.ts'
import type { ProgressSink } from './progress.ts'
import { type RunDeps, runLoad } from './run.ts'
import type { Summary } from './summary.ts'
import { parseForm, type RunForm, type RunInfo, runInfo, type ToolFlags } from './web-form.ts'

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

// The tool's own flags (targets, capacity, drain) are the defaults of every run.
export type SessionDeps = ToolFlags & {
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
    const options = parseForm(form, deps)
    if (typeof options === 'string') {
      return { ok: false, status: 400, error: 'invalid_run', message: options }
    }
    runs += 1
    const run = runInfo(runs, options)
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
