import { type Capacity, ordersPerSecond } from './capacity.ts'
import { type PipelineInput, type PipelineNow, pipelineNow } from './pipeline.ts'
import { percentile, round } from './stats.ts'

// Requests per second and response times, as Locust's current figures: the last few seconds.
export const REQUEST_WINDOW_S = 5

export type Phase = 'load' | 'drain'

// What the run looks like at one second: the terminal prints it, the web page charts it.
export type Tick = PipelineNow & {
  t: number
  phase: Phase
  // Seconds since the load stopped, while draining.
  sinceStopS: number | null
  // Closed loop: users running; open loop: null.
  users: number | null
  // Requests sent and not yet answered.
  waiting: number
  requests: number
  accepted: number
  failures: number
  failuresByKind: Record<string, number>
  rps: number
  failuresPerS: number
  p50: number | null
  p95: number | null
  // Workers × N, and workers × N ÷ T in orders per second.
  slots: number
  capacity: number | null
}

export type RunState = PipelineInput & {
  t: number
  phase: Phase
  loadEndS: number | null
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
    const kind = r.failure ?? 'unknown'
    if (r.ok) accepted += 1
    else failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1
  }
  const capacity = ordersPerSecond(s.capacity)
  return {
    ...pipelineNow(s),
    t: round(s.t),
    phase: s.phase,
    sinceStopS: s.phase === 'drain' && s.loadEndS !== null ? round(s.t - s.loadEndS) : null,
    users: s.users,
    waiting: s.waiting,
    requests: s.samples.length,
    accepted,
    failures: s.samples.length - accepted,
    failuresByKind,
    rps: round(recent.length / span),
    failuresPerS: round(recent.filter((r) => !r.ok).length / span),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    slots: s.capacity.workers * s.capacity.concurrency,
    capacity: capacity === null ? null : round(capacity),
  }
}
