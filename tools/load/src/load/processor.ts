import { parseCounter, readProcessorMetrics } from '../queue/processed.ts'
import { END_TO_END_METRIC } from './completion.ts'
import { type Histogram, parseHistogram } from './histogram.ts'

// One scrape of the processor's metrics port, once a second: what it has completed, how many of
// its slots are busy, and the end-to-end histogram.
export type ProcessorReading = {
  processed: number
  // orders_in_flight; null from a processor that does not expose it.
  busy: number | null
  completions: Histogram | null
}

export type ReadProcessor = () => Promise<ProcessorReading>

export function processorReader(processorUrl: string): ReadProcessor {
  return async () => parseProcessorMetrics(await readProcessorMetrics(processorUrl))
}

export function parseProcessorMetrics(text: string): ProcessorReading {
  let busy: number | null
  try {
    busy = parseCounter(text, 'orders_in_flight')
  } catch {
    busy = null
  }
  return {
    processed: parseCounter(text, 'orders_processed_total'),
    busy,
    completions: parseHistogram(text, END_TO_END_METRIC),
  }
}
