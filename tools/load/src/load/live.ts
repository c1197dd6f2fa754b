import { type Capacity, ordersPerSecond } from './capacity.ts'
import type { CompletionReading } from './completion.ts'
import { histogramDelta, histogramQuantile } from './histogram.ts'
import type { QueueSample } from './monitor.ts'
import { backlogOf, deadSince, processedSince } from './pipeline.ts'
import { percentile, round, type Sample } from './stats.ts'

// Requests per second and response times, as Locust's current figures: the last few seconds.
export const REQUEST_WINDOW_S = 5
// A processor completes its slots in waves, one per processing time: rates along the pipeline
// are taken over long enough to span a few waves.
export const PIPELINE_WINDOW_S = 10

export type Phase = 'load' | 'drain'

// What the run looks like at one second: the terminal prints it, the web page charts it.
export type Tick = {
  t: number
  phase: Phase
  // Seconds since the load stopped, while draining.
  sinceStopS: number | null
  // Closed loop: users running; open loop: null.
  users: number | null
  // Requests sent and not yet answered.
  waiting: number
  requests: number
  failures: number
  failuresByKind: Record<string, number>
  rps: number
  failuresPerS: number
  p50: number | null
  p95: number | null
  visible: number | null
  inFlight: number | null
  dlq: number | null
  busy: number | null
  slots: number
  accepted: number
  processed: number | null
  processedDerived: boolean
  acceptedRate: number | null
  processedRate: number | null
  // Order created → completed, over the pipeline window (the processor's histogram), in ms.
  e2eP50: number | null
  e2eP95: number | null
  capacity: number | null
  backlog: number | null
  drainEtaS: number | null
}

export type RunState = {
  t: number
  phase: Phase
  loadEndS: number | null
  samples: readonly Sample[]
  queue: readonly QueueSample[]
  completions: readonly CompletionReading[]
  users: number | null
  waiting: number
  capacity: Capacity
}

export function measure(s: RunState): Tick {
  const nowMs = s.t * 1000
  const recent = s.samples.filter((r) => r.start + r.ms > nowMs - REQUEST_WINDOW_S * 1000)
  const span = Math.min(s.t, REQUEST_WINDOW_S) || 1
  const sorted = recent.map((r) => r.ms).sort((a, b) => a - b)
  const failuresByKind: Record<string, number> = {}
  let accepted = 0
  for (const r of s.samples) {
    if (r.ok) accepted += 1
    else failuresByKind[r.failure ?? 'unknown'] = (failuresByKind[r.failure ?? 'unknown'] ?? 0) + 1
  }
  const pipeline = pipelineAt(s, accepted)
  return {
    t: round(s.t),
    phase: s.phase,
    sinceStopS: s.phase === 'drain' && s.loadEndS !== null ? round(s.t - s.loadEndS) : null,
    users: s.users,
    waiting: s.waiting,
    requests: s.samples.length,
    failures: s.samples.length - accepted,
    failuresByKind,
    rps: round(recent.length / span),
    failuresPerS: round(recent.filter((r) => !r.ok).length / span),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    slots: s.capacity.workers * s.capacity.concurrency,
    capacity: nullable(ordersPerSecond(s.capacity), (value) => round(value)),
    accepted,
    ...pipeline,
  }
}

type Pipeline = Pick<
  Tick,
  | 'visible'
  | 'inFlight'
  | 'dlq'
  | 'busy'
  | 'processed'
  | 'processedDerived'
  | 'acceptedRate'
  | 'processedRate'
  | 'e2eP50'
  | 'e2eP95'
  | 'backlog'
  | 'drainEtaS'
>

// From the queue samples: the latest one, and the earliest within the pipeline window.
function pipelineAt(s: RunState, accepted: number): Pipeline {
  const baseline = s.queue[0]
  const last = s.queue.length - 1
  const now = s.queue[last]
  if (!baseline || !now) return empty()
  let from = last
  while (from > 0 && (s.queue[from - 1]?.t ?? 0) >= now.t - PIPELINE_WINDOW_S) from -= 1
  const then = s.queue[from] ?? now
  const acceptedBy = (t: number) =>
    s.samples.filter((r) => r.ok && r.start + r.ms <= t * 1000).length
  const processedNow = processedSince(baseline, now, acceptedBy(now.t))
  const processedThen = processedSince(baseline, then, acceptedBy(then.t))
  const seconds = now.t - then.t
  const rate = (a: number | null, b: number | null) =>
    a === null || b === null || seconds <= 0 ? null : round(Math.max(0, a - b) / seconds)
  const processedRate = rate(processedNow.value, processedThen.value)
  const dead = deadSince(baseline, now) ?? 0
  const backlog =
    backlogOf(now) ?? nullable(processedNow.value, (done) => Math.max(0, accepted - done - dead))
  const e2e = endToEnd(s.completions[from], s.completions[last])
  return {
    visible: now.visible,
    inFlight: now.inFlight,
    dlq: now.dlq,
    busy: now.busy,
    processed: processedNow.value,
    processedDerived: processedNow.derived,
    acceptedRate: rate(acceptedBy(now.t), acceptedBy(then.t)),
    processedRate,
    e2eP50: e2e.p50,
    e2eP95: e2e.p95,
    backlog,
    drainEtaS:
      backlog === 0 ? 0 : backlog !== null && processedRate ? round(backlog / processedRate) : null,
  }
}

function endToEnd(then: CompletionReading | undefined, now: CompletionReading | undefined) {
  const none = { p50: null, p95: null }
  if (!then || !now || !('histogram' in then) || !('histogram' in now) || !now.histogram) {
    return none
  }
  const delta = histogramDelta(then.histogram, now.histogram)
  if (!delta || delta.count === 0) return none
  const ms = (q: number) =>
    nullable(histogramQuantile(q, delta), (seconds) => round(seconds * 1000))
  return { p50: ms(0.5), p95: ms(0.95) }
}

function empty(): Pipeline {
  return {
    visible: null,
    inFlight: null,
    dlq: null,
    busy: null,
    processed: null,
    processedDerived: false,
    acceptedRate: null,
    processedRate: null,
    e2eP50: null,
    e2eP95: null,
    backlog: null,
    drainEtaS: null,
  }
}

function nullable<T, U>(value: T | null, f: (value: T) => U): U | null {
  return value === null ? null : f(value)
}
