import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { ReadDepth } from '../queue/depth.ts'
import type { LoadOptions } from './args.ts'
import { completionLatency, takeReading, unknown } from './completion.ts'
import { canWatchDrain, watchDrain } from './drain.ts'
import type { Histogram } from './histogram.ts'
import { startMonitor } from './monitor.ts'
import { createProgress, type ProgressSink, progressLine } from './progress.ts'
import { reportDir, writeReport } from './report.ts'
import { assertReachable, postOrder } from './request.ts'
import { round, type Sample, totals } from './stats.ts'
import type { Summary } from './summary.ts'
import { resultTable } from './table.ts'
import { runClosedLoop, runOpenLoop } from './users.ts'

export type RunDeps = {
  readDepth?: ReadDepth
  readProcessed?: () => Promise<number>
  // The processor's end-to-end histogram (null when it has none), read before and after the run.
  readCompletions?: () => Promise<Histogram | null>
  // Where the live line and notes go; none means a silent run.
  progress?: ProgressSink
  // Aborting ends the load (and the drain) early; the report is still written.
  stop?: AbortSignal
}

export type RunResult = { dir: string; summary: Summary; table: string }

export async function runLoad(o: LoadOptions, deps: RunDeps = {}): Promise<RunResult> {
  await assertReachable(o.host)
  const startedAt = new Date()
  const origin = performance.now()
  const elapsedMs = () => performance.now() - origin
  const progress = deps.progress && createProgress(deps.progress)
  const note = (text: string) => deps.progress?.write(`${text}\n`)
  const monitor = startMonitor({
    readDepth: deps.readDepth,
    readProcessed: deps.readProcessed,
    now: () => elapsedMs() / 1000,
  })
  // Async orders complete in the processor; sync ones inside their request, where the response
  // time already is the time to completion.
  const readCompletions = o.path === '/orders/async' ? deps.readCompletions : undefined
  // Read before the first request: the end-to-end count is taken relative to it.
  const [baseline, completionsBefore] = await Promise.all([
    monitor.baseline,
    takeReading(readCompletions),
  ])
  if (baseline.visible === null)
    note(`queue depth unavailable: ${monitor.errors.queue ?? 'no queue endpoint'}`)

  const runId = randomUUID().slice(0, 8)
  const samples: Sample[] = []
  let sent = 0
  const send = async () => {
    sent += 1
    const n = sent
    const orderId = `load-${runId}-${n}`
    const start = round(elapsedMs())
    const outcome = await postOrder(
      `${o.host}${o.path}`,
      orderId,
      o.timeoutS * 1000,
      o.expectStatus,
    )
    samples.push({ n, orderId, start, ...outcome })
  }
  const ticker = setInterval(() => {
    progress?.update(elapsedMs() / 1000, progressLine(elapsedMs(), samples, monitor.latest()))
  }, 1000)
  const loadStartS = elapsedMs() / 1000
  const durationMs = o.durationS * 1000
  try {
    if (o.mode === 'open') await runOpenLoop({ rate: o.rate, durationMs, send, stop: deps.stop })
    else {
      const { users, spawnRate } = o
      await runClosedLoop({ users, spawnRate, durationMs, send, stop: deps.stop })
    }
  } finally {
    clearInterval(ticker)
    progress?.done()
  }
  const loadEndS = round(elapsedMs() / 1000, 3)
  const requestTotals = totals(samples, loadEndS - loadStartS)

  const drained =
    o.path === '/orders/async' && o.drain && canWatchDrain(baseline)
      ? await watchDrain(monitor, {
          baseline,
          accepted: requestTotals.ok,
          loadEndS,
          timeoutS: o.drainTimeoutS,
          progress: deps.progress,
          stop: deps.stop,
        })
      : undefined
  await monitor.stop()
  const completion =
    o.path === '/orders/async'
      ? completionLatency(completionsBefore, await takeReading(readCompletions))
      : unknown('sync orders complete inside their request: see the response times')

  const summary: Summary = {
    scenario: o.scenario,
    description: o.description,
    startedAt: startedAt.toISOString(),
    host: o.host,
    path: o.path,
    mode: o.mode,
    settings: settings(o),
    queueEndpoint: o.endpoint ?? null,
    processor: o.processor ?? null,
    loadStartS: round(loadStartS, 3),
    loadEndS,
    loadSeconds: round(loadEndS - loadStartS, 3),
    totals: requestTotals,
    queueDepth: { available: baseline.visible !== null, error: monitor.errors.queue ?? null },
    processorMetrics: {
      available: baseline.processed !== null,
      error: monitor.errors.processor ?? null,
    },
    drain: drained ?? null,
    completion,
    files: { samples: 'samples.jsonl', queue: 'queue.jsonl', html: 'report.html' },
  }
  const dir = reportDir(o.out, o.scenario, startedAt)
  await writeReport(dir, summary, samples, monitor.samples)
  const table = resultTable({
    name: `POST ${o.path}`,
    totals: requestTotals,
    seconds: summary.loadSeconds,
    drain: summary.drain ?? undefined,
    completion: o.path === '/orders/async' ? completion : undefined,
  })
  return { dir, summary, table }
}

function settings(o: LoadOptions): Record<string, number | boolean> {
  const { users, spawnRate, durationS, timeoutS, rate, expectStatus, drain, drainTimeoutS } = o
  return { users, spawnRate, durationS, timeoutS, rate, expectStatus, drain, drainTimeoutS }
}
