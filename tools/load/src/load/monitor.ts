import { setTimeout as sleep } from 'node:timers/promises'
import type { ReadDepth } from '../queue/depth.ts'

export type QueueSample = {
  // Seconds since the run started.
  t: number
  visible: number | null
  inFlight: number | null
  dlq: number | null
  processed: number | null
}

export type MonitorDeps = {
  readDepth?: ReadDepth
  readProcessed?: () => Promise<number>
  now: () => number
  intervalMs?: number
}

export type Monitor = ReturnType<typeof startMonitor>

// Samples the queue and the processor's counter once a second for the whole run, drain included.
// A source that fails is recorded as null: the load goes on without it.
export function startMonitor({ readDepth, readProcessed, now, intervalMs = 1000 }: MonitorDeps) {
  const samples: QueueSample[] = []
  const listeners = new Set<(sample: QueueSample) => void>()
  const errors = {
    queue: undefined as string | undefined,
    processor: undefined as string | undefined,
  }
  const stopping = new AbortController()

  async function take(): Promise<QueueSample> {
    const t = now()
    const [depth, processed] = await Promise.all([
      attempt(readDepth, 'queue'),
      attempt(readProcessed, 'processor'),
    ])
    const sample = {
      t: Math.round(t * 10) / 10,
      visible: depth?.visible ?? null,
      inFlight: depth?.inFlight ?? null,
      dlq: depth?.dlq ?? null,
      processed,
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
    errors,
    baseline: first,
    latest: () => samples.at(-1),
    onSample(listener: (sample: QueueSample) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async stop() {
      stopping.abort()
      await loop
    },
  }
}
