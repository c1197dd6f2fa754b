import type { QueueSample } from './monitor.ts'
import { perSecond, round, type Sample, type Second } from './stats.ts'

export type QueuePoint = QueueSample & { processedRate: number | null; derived: boolean }
export type Timeline = { requests: Second[]; queue: QueuePoint[] }

export function buildTimeline(
  samples: readonly Sample[],
  queue: readonly QueueSample[],
  loadEndS: number,
): Timeline {
  return { requests: perSecond(samples, loadEndS), queue: processedRates(samples, queue) }
}

// The processor's counter gives the processed rate; without it the rate is inferred: orders
// accepted so far, minus what the queue grew by, minus what went to the DLQ.
function processedRates(samples: readonly Sample[], queue: readonly QueueSample[]): QueuePoint[] {
  const first = queue[0]
  if (!first) return []
  const acceptedAt = samples
    .filter((s) => s.ok)
    .map((s) => s.start + s.ms)
    .sort((a, b) => a - b)
  const cumulative = queue.map((sample) => {
    if (sample.processed !== null && first.processed !== null) {
      return { value: sample.processed - first.processed, derived: false }
    }
    if (sample.visible === null || first.visible === null) return { value: null, derived: true }
    const grown = sample.visible + (sample.inFlight ?? 0) - first.visible - (first.inFlight ?? 0)
    const dead = (sample.dlq ?? 0) - (first.dlq ?? 0)
    return { value: countAtOrBefore(acceptedAt, sample.t * 1000) - grown - dead, derived: true }
  })
  return queue.map((sample, i) => {
    const now = cumulative[i]
    const before = cumulative[i - 1]
    const previous = queue[i - 1]
    const rate =
      now?.value == null || before?.value == null || !previous || sample.t <= previous.t
        ? null
        : round(Math.max(0, now.value - before.value) / (sample.t - previous.t))
    return { ...sample, processedRate: rate, derived: now?.derived ?? false }
  })
}

function countAtOrBefore(sorted: readonly number[], limit: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >> 1
    if ((sorted[mid] ?? 0) <= limit) low = mid + 1
    else high = mid
  }
  return low
}
