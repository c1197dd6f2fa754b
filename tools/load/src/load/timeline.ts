import type { QueueSample } from './monitor.ts'
import { processedSince } from './pipeline.ts'
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

// The processor's counter gives the processed rate; without it the rate is inferred from the
// orders accepted by each sample's time (pipeline.ts).
function processedRates(samples: readonly Sample[], queue: readonly QueueSample[]): QueuePoint[] {
  const first = queue[0]
  if (!first) return []
  const acceptedAt = samples
    .filter((s) => s.ok)
    .map((s) => s.start + s.ms)
    .sort((a, b) => a - b)
  const cumulative = queue.map((sample) =>
    processedSince(first, sample, countAtOrBefore(acceptedAt, sample.t * 1000)),
  )
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
