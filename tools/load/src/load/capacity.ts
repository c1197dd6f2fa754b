import { DEFAULT_PROCESSING_TIME_MS } from '@orders/order/payment'

// What the processors can complete: workers × slots ÷ processing time. The processor does not
// publish its settings, so they come from flags, else from the variables it reads itself
// (PROCESSOR_CONCURRENCY, PROCESSING_TIME_MS, as in .env), else from its defaults.
export type Capacity = { workers: number; concurrency: number; processingMs: number }

// The processor's PROCESSOR_CONCURRENCY default (processor/src/config.ts; a test holds them equal).
export const DEFAULT_CONCURRENCY = 10

export function defaultCapacity(env: NodeJS.ProcessEnv): Capacity {
  return {
    workers: 1,
    concurrency: fromEnv(env.PROCESSOR_CONCURRENCY, 1) ?? DEFAULT_CONCURRENCY,
    processingMs: fromEnv(env.PROCESSING_TIME_MS, 0) ?? DEFAULT_PROCESSING_TIME_MS,
  }
}

// Orders per second; a payment of 0 ms has no time limit, so no line can be drawn.
export function ordersPerSecond({ workers, concurrency, processingMs }: Capacity): number | null {
  return processingMs > 0 ? (workers * concurrency * 1000) / processingMs : null
}

// A value the processor would refuse at start-up is no setting of a running processor.
function fromEnv(raw: string | undefined, min: number): number | undefined {
  const value = Number(raw)
  return raw !== undefined && raw.trim() !== '' && Number.isInteger(value) && value >= min
    ? value
    : undefined
}
