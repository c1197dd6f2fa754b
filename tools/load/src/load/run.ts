import { performance } from 'node:perf_hooks'
import type { ReadDepth } from '../queue/depth.ts'
import type { LoadOptions } from './args.ts'
import { clientCompletion } from './client-completion.ts'
import { canWatchDrain, watchDrain } from './drain.ts'
import { createFollower } from './follow.ts'
import { measure, type Phase, type Tick } from './live.ts'
import { startMonitor } from './monitor.ts'
import type { ReadProcessor } from './processor.ts'
import { createProgress, drainLine, type ProgressSink, progressLine } from './progress.ts'
import { reportDir, writeReport } from './report.ts'
import { assertReachable } from './request.ts'
import { createSender } from './sender.ts'
import { round, type Sample, totals } from './stats.ts'
import { type Summary, summarize } from './summary.ts'
import { resultTable } from './table.ts'
import { runClosedLoop, runOpenLoop } from './users.ts'

export type RunDeps = {
  readDepth?: ReadDepth
  // The processor's counter, busy slots and end-to-end histogram, once a second.
  readProcessor?: ReadProcessor
  // Where the live line and notes go; none means a silent run.
  progress?: ProgressSink
  // Aborting ends the load early; the report is still written.
  stop?: AbortSignal
  // Aborting ends the wait for the drain; the same as stop unless given.
  stopDrain?: AbortSignal
  // Each second, load and drain alike, and once at the end: what the live line prints.
  onTick?: (tick: Tick) => void
  onNote?: (text: string) => void
}

export type RunResult = { dir: string; summary: Summary; table: string }

export async function runLoad(o: LoadOptions, deps: RunDeps = {}): Promise<RunResult> {
  await assertReachable(o.host)
  const startedAt = new Date()
  const origin = performance.now()
  const elapsedS = () => (performance.now() - origin) / 1000
  const note = (text: string) => {
    deps.progress?.write(`${text}\n`)
    deps.onNote?.(text)
  }
  const monitor = startMonitor({
    readDepth: deps.readDepth,
    readProcessor: deps.readProcessor,
    now: elapsedS,
  })
  const baseline = await monitor.baseline
  if (baseline.visible === null)
    note(`queue depth unavailable: ${monitor.errors.queue ?? 'no queue endpoint'}`)

  const samples: Sample[] = []
  const live = { phase: 'load' as Phase, loadEndS: null as number | null, waiting: 0 }
  let users = o.mode === 'closed' ? 0 : null
  let latest: Tick | undefined
  const stopDrain = deps.stopDrain ?? deps.stop
  const follower = o.follow
    ? createFollower({ stop: stopDrain, timeoutMs: o.timeoutS * 1000 })
    : undefined
  const send = createSender({ o, origin, samples, live, follower })
  let progress = deps.progress && createProgress(deps.progress)
  const tick = () => {
    latest = measure({
      ...live,
      t: elapsedS(),
      samples,
      queue: monitor.samples,
      completions: monitor.completions,
      users,
      capacity: o.capacity,
    })
    const accepted = latest.accepted
    progress?.update(
      latest.t,
      live.phase === 'load' ? progressLine(latest) : drainLine(latest, accepted),
    )
    deps.onTick?.(latest)
  }
  const ticker = setInterval(tick, 1000)
  try {
    const loadStartS = elapsedS()
    const { durationS, spawnRate, stop } = { ...o, stop: deps.stop }
    const durationMs = durationS * 1000
    if (o.mode === 'open') await runOpenLoop({ rate: o.rate, durationMs, send, stop })
    else {
      const onUsers = (change: number) => {
        users = (users ?? 0) + change
      }
      await runClosedLoop({ users: o.users, spawnRate, durationMs, send, stop, onUsers })
    }
    const loadEndS = round(elapsedS(), 3)
    const requestTotals = totals(samples, loadEndS - loadStartS)
    progress?.done()
    Object.assign(live, { phase: 'drain', loadEndS })
    progress = deps.progress && createProgress(deps.progress)
    const watching =
      o.path === '/orders/async' && o.drain && canWatchDrain(baseline)
        ? watchDrain(monitor, {
            baseline,
            accepted: requestTotals.ok,
            loadEndS,
            timeoutS: o.drainTimeoutS,
            note,
            stop: stopDrain,
            latest: () => latest,
          })
        : undefined
    if (follower)
      note(`still following ${follower.following()} orders at their Location until they end`)
    const [drain] = await Promise.all([watching, follower?.settle(o.drainTimeoutS * 1000)])
    clearInterval(ticker)
    await monitor.stop()
    tick()
    progress?.done()
    const summary = summarize(o, {
      startedAt,
      loadStartS,
      loadEndS,
      totals: requestTotals,
      baseline,
      errors: monitor.errors,
      completions: monitor.completions,
      drain,
      follow: follower && clientCompletion(samples),
    })
    const dir = reportDir(o.out, o.scenario, startedAt)
    await writeReport(dir, summary, samples, monitor.samples)
    const table = resultTable({
      name: `POST ${o.path}`,
      totals: requestTotals,
      seconds: summary.loadSeconds,
      drain,
      completion: o.path === '/orders/async' ? summary.completion : undefined,
      follow: summary.follow ?? undefined,
    })
    return { dir, summary, table }
  } finally {
    follower?.close()
    clearInterval(ticker)
    progress?.done()
  }
}
