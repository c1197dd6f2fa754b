import type { CompletionReading } from './completion.ts'
import { histogramDelta, histogramQuantile } from './histogram.ts'
import type { QueueSample } from './monitor.ts'
import { round, type Sample } from './stats.ts'

// Counts along the pipeline at one queue sample, relative to the baseline read before the first
// request, so a queue that already held messages, or a processor that ran before, does not skew
// this run's numbers.

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b)

// Messages waiting or received by a processor.
export function backlogOf(sample: QueueSample): number | null {
  return sample.visible === null ? null : sample.visible + (sample.inFlight ?? 0)
}

export function deadSince(baseline: QueueSample, sample: QueueSample): number | null {
  return diff(sample.dlq, baseline.dlq)
}

export type Processed = { value: number | null; derived: boolean }

// The processor's counter; without it, whatever was accepted by then and is neither queued nor
// dead was processed.
export function processedSince(
  baseline: QueueSample,
  sample: QueueSample,
  acceptedByThen: number,
): Processed {
  const counted = diff(sample.processed, baseline.processed)
  if (counted !== null) return { value: counted, derived: false }
  const grown = diff(backlogOf(sample), backlogOf(baseline))
  if (grown === null) return { value: null, derived: true }
  return { value: acceptedByThen - grown - (deadSince(baseline, sample) ?? 0), derived: true }
}

// A processor completes its slots in waves, one per processing time: rates along the pipeline
// are taken over long enough to span a few waves.
export const PIPELINE_WINDOW_S = 10

export type PipelineNow = Pick<QueueSample, 'visible' | 'inFlight' | 'dlq' | 'busy'> & {
  processed: number | null
  processedDerived: boolean
  // Per second over the window.
  acceptedRate: number | null
  processedRate: number | null
  // Order created → completed, of the orders completed in the window, in ms.
  e2eP50: number | null
  e2eP95: number | null
  backlog: number | null
  // The backlog over the processing rate: when the queue will be empty.
  drainEtaS: number | null
}

export type PipelineInput = {
  samples: readonly Sample[]
  queue: readonly QueueSample[]
  completions: readonly CompletionReading[]
}

// From the latest queue sample and the earliest one within the window.
export function pipelineNow({ samples, queue, completions }: PipelineInput): PipelineNow {
  const last = queue.length - 1
  const [baseline, now] = [queue[0], queue[last]]
  if (!baseline || !now) return { ...unknownPipeline, processedDerived: false }
  let from = last
  while (from > 0 && (queue[from - 1]?.t ?? 0) >= now.t - PIPELINE_WINDOW_S) from -= 1
  const then = queue[from] ?? now
  const acceptedBy = (t: number) => samples.filter((r) => r.ok && r.start + r.ms <= t * 1000).length
  const accepted = acceptedBy(now.t)
  const done = processedSince(baseline, now, accepted)
  const doneThen = processedSince(baseline, then, acceptedBy(then.t))
  const seconds = now.t - then.t
  const rate = (a: number | null, b: number | null) =>
    a === null || b === null || seconds <= 0 ? null : round(Math.max(0, a - b) / seconds)
  const processedRate = rate(done.value, doneThen.value)
  const dead = deadSince(baseline, now) ?? 0
  const backlog =
    backlogOf(now) ?? (done.value === null ? null : Math.max(0, accepted - done.value - dead))
  const e2e = quantilesBetween(completions[from], completions[last])
  return {
    visible: now.visible,
    inFlight: now.inFlight,
    dlq: now.dlq,
    busy: now.busy,
    processed: done.value,
    processedDerived: done.derived,
    acceptedRate: rate(accepted, acceptedBy(then.t)),
    processedRate,
    e2eP50: e2e.p50,
    e2eP95: e2e.p95,
    backlog,
    drainEtaS:
      backlog === 0 ? 0 : backlog !== null && processedRate ? round(backlog / processedRate) : null,
  }
}

const unknownPipeline = {
  visible: null,
  inFlight: null,
  dlq: null,
  busy: null,
  processed: null,
  acceptedRate: null,
  processedRate: null,
  e2eP50: null,
  e2eP95: null,
  backlog: null,
  drainEtaS: null,
}

function quantilesBetween(then: CompletionReading | undefined, now: CompletionReading | undefined) {
  const none = { p50: null, p95: null }
  if (!then || !now || !('histogram' in then) || !('histogram' in now) || !now.histogram) {
    return none
  }
  const delta = histogramDelta(then.histogram, now.histogram)
  if (!delta || delta.count === 0) return none
  const ms = (q: number) => {
    const seconds = histogramQuantile(q, delta)
    return seconds === null ? null : round(seconds * 1000)
  }
  return { p50: ms(0.5), p95: ms(0.95) }
}
