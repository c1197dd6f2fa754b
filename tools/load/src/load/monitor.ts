import { setTimeout as sleep } from 'node:timers/promises'
import type { ReadDepth } from '../queue/depth.ts'
import type { CompletionReading } from './completion.ts'
import type { ReadProcessor } from './processor.ts'

export type QueueSample = {
  // Seconds since the run started.
  t: number
  visible: number | null
  inFlight: number | null
  dlq: number | null
  processed: number | null
  // The processor's busy slots (orders_in_flight).
  busy: number | null
}

export type MonitorDeps = {
  readDepth?: ReadDepth
  readProcessor?: ReadProcessor
  now: () => number
  intervalMs?: number
}

export type Monitor = ReturnType<typeof startMonitor>

// Samples the queue and the processor once a second for the whole run, drain included, and once
// more when stopped. A source that fails is recorded as null: the load goes on without it.
export function startMonitor({ readDepth, readProcessor, now, intervalMs = 1000 }: MonitorDeps) {
  const samples: QueueSample[] = []
  // The processor's end-to-end histogram at each sample, kept out of queue.jsonl for its size;
  // empty when the processor is not scraped.
  const completions: CompletionReading[] = []
  const listeners = new Set<(sample: QueueSample) => void>()
  const errors = {
    queue: undefined as string | undefined,
    processor: undefined as string | undefined,
  }
  const stopping = new AbortController()

  async function take(): Promise<QueueSample> {
    const t = now()
    const [depth, processor] = await Promise.all([
      attempt(readDepth, 'queue'),
      attempt(readProcessor, 'processor'),
    ])
    const sample = {
      t: Math.round(t * 10) / 10,
      visible: depth?.visible ?? null,
      inFlight: depth?.inFlight ?? null,
      dlq: depth?.dlq ?? null,
      processed: processor?.processed ?? null,
      busy: processor?.busy ?? null,
    }
    if (readProcessor) {
      completions.push(
        processor ? { histogram: processor.completions } : { error: errors.processor ?? '' },
      )
    }
    samples.push(sample)
    for (const listener of listeners) listener(sample)
    return sample
  }

  async function attempt<T>(
    read: (() => Promise<T>) | undefined,
    source: keyof typeof errors,
  ): Promise<T | null> {
    if (!read) return null
    try {
      const value = await read()
      errors[source] = undefined
      return value
    } catch (err) {
      errors[source] = (err as Error).message || (err as Error).name
      return null
    }
  }

  const first = take()
  const loop = (async () => {
    await first
    while (!stopping.signal.aborted) {
      await sleep(intervalMs, undefined, { signal: stopping.signal }).catch(() => {})
      if (!stopping.signal.aborted) await take()
    }
  })()

  return {
    samples,
    completions,
    errors,
    baseline: first,
    latest: () => samples.at(-1),
    onSample(listener: (sample: QueueSample) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    // The last sample closes the run: the end-to-end count is taken up to it.
    async stop() {
      stopping.abort()
      await loop
      await take()
    },
  }
}
