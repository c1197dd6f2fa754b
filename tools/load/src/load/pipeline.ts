import type { QueueSample } from './monitor.ts'

// Counts along the pipeline at one queue sample, relative to the baseline read before the first
// request, so a queue that already held messages, or a processor that ran before, does not skew
// this run's numbers.

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b)

// Messages waiting or being processed.
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
