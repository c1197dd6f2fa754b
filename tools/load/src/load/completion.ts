import { type Histogram, histogramDelta, histogramQuantile } from './histogram.ts'
import { round } from './stats.ts'

// Observed by the processor for each order it completes: completion time minus created_at.
export const END_TO_END_METRIC = 'order_end_to_end_seconds'

// Time from the order's creation to its completion, in ms; null with a reason when unknown.
export type CompletionLatency = {
  available: boolean
  reason: string | null
  orders: number | null
  p50: number | null
  p95: number | null
  p99: number | null
}

// The processor's histogram at one sample, or why it could not be read.
export type CompletionReading = { histogram: Histogram | null } | { error: string }

export function unknown(reason: string): CompletionLatency {
  return { available: false, reason, orders: null, p50: null, p95: null, p99: null }
}

// The run's share of the histogram is the difference of a reading before the first request and
// one after the drain; its quantiles are estimated from the buckets, as histogram_quantile() does.
export function completionLatency(
  before: CompletionReading | undefined,
  after: CompletionReading | undefined,
): CompletionLatency {
  if (!before || !after) return unknown('processor not scraped')
  for (const reading of [before, after]) {
    if ('error' in reading) return unknown(`processor metrics unreadable: ${reading.error}`)
  }
  if (!('histogram' in after) || !after.histogram) {
    return unknown(`the processor exposes no ${END_TO_END_METRIC}`)
  }
  const delta = histogramDelta('histogram' in before ? before.histogram : null, after.histogram)
  if (!delta) return unknown('the processor restarted during the run')
  if (delta.count === 0) return unknown('no order completed during the run')
  const ms = (q: number) => {
    const seconds = histogramQuantile(q, delta)
    return seconds === null ? null : round(seconds * 1000)
  }
  return {
    available: true,
    reason: null,
    orders: delta.count,
    p50: ms(0.5),
    p95: ms(0.95),
    p99: ms(0.99),
  }
}
