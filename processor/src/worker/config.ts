import { DEFAULT_PROCESSING_TIME_MS } from '@orders/order/payment'
import { ConfigError, logLevel, parseEnv, port } from '@orders/service/config'
import { parseStoreConfig, type StoreConfig } from '@orders/store/config'
import { z } from 'zod'

export const MAX_CONCURRENCY = 2000
// The queue's visibility timeout (30 s, Copilot's default) less a margin: a claim outlives any
// payment, and ends before the message comes back to another processor after a crash. The margin
// also covers a message's wait ahead of the slots (at most about one payment, 3 s by default).
export const DEFAULT_LEASE_SECONDS = 25
// A table request waits this long by default, its wait for a turn included: at hundreds of
// orders in flight a saturated table answers late rather than never.
export const PROCESSOR_STORE_TIMEOUT_MS = 5000
// Table requests at once. The SDK builds, signs and parses each on the event loop: many at once
// interleave and all finish late, a few at once finish in turn. At 5 ms a request, 16 carry
// 1,600 orders a second (docs/configuration.md).
export const DEFAULT_STORE_MAX_IN_FLIGHT = 16

const schema = z
  .object({
    PORT: port.default(8081),
    HOST: z.string().default('127.0.0.1'),
    METRICS_PORT: port.default(9081),
    ORDERS_QUEUE_URL: z.url().optional(),
    // Copilot's Worker Service gets the URL of its subscription queue here.
    COPILOT_QUEUE_URI: z.url().optional(),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    AWS_ENDPOINT_URL: z.url().optional(),
    // One task's ceiling: 1000 in flight was benchmarked at about 200 MB and a third of a core
    // (tools/bench/processor); beyond 2000, run more tasks.
    PROCESSOR_CONCURRENCY: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_CONCURRENCY, `at most ${MAX_CONCURRENCY} orders in flight per processor`)
      .default(10),
    PROCESSING_TIME_MS: z.coerce.number().int().nonnegative().default(DEFAULT_PROCESSING_TIME_MS),
    PROCESSING_JITTER_MS: z.coerce.number().int().nonnegative().default(0),
    RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(43_200).default(5),
    // How long a claim holds an order. It must outlast the payment (checked below) and stay
    // within the queue's visibility timeout, so a crashed processor's order is free again by the
    // time its message is delivered to another.
    ORDER_LEASE_SECONDS: z.coerce.number().int().min(1).max(43_200).default(DEFAULT_LEASE_SECONDS),
    // The queue's redrive maxReceiveCount (Copilot's dead_letter.tries): the receive that fails
    // for the last time ends the order failed, as SQS then moves the message to the DLQ.
    MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).max(1000).default(5),
    STORE_MAX_IN_FLIGHT: z.coerce
      .number()
      .int()
      .min(1)
      .max(128)
      .default(DEFAULT_STORE_MAX_IN_FLIGHT),
    LOG_LEVEL: logLevel,
  })
  .refine((env) => env.ORDERS_QUEUE_URL ?? env.COPILOT_QUEUE_URI, {
    message: 'set ORDERS_QUEUE_URL (or COPILOT_QUEUE_URI)',
    path: ['ORDERS_QUEUE_URL'],
  })
  .refine((env) => env.PORT === 0 || env.METRICS_PORT !== env.PORT, {
    message: 'must differ from PORT: metrics stay off the health port',
    path: ['METRICS_PORT'],
  })
  .refine((env) => env.PROCESSING_JITTER_MS <= env.PROCESSING_TIME_MS, {
    message: 'must not exceed PROCESSING_TIME_MS',
    path: ['PROCESSING_JITTER_MS'],
  })

export type Config = {
  port: number
  host: string
  metricsPort: number
  queueUrl: string
  region: string
  endpoint: string | undefined
  concurrency: number
  processingTimeMs: number
  processingJitterMs: number
  retryDelaySeconds: number
  leaseMs: number
  maxReceiveCount: number
  store: StoreConfig
  storeMaxInFlight: number
  logLevel: string
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const e = parseEnv(schema, env, 'processor')
  const store = parseStoreConfig(env, 'processor', PROCESSOR_STORE_TIMEOUT_MS)
  // The lease runs from the claim; it must outlast the payment and the write that completes it.
  if (
    e.ORDER_LEASE_SECONDS * 1000 <=
    e.PROCESSING_TIME_MS + e.PROCESSING_JITTER_MS + store.timeoutMs
  ) {
    throw new ConfigError(
      'processor: invalid configuration: ORDER_LEASE_SECONDS: must outlast the payment and the completing write (PROCESSING_TIME_MS + PROCESSING_JITTER_MS + STORE_TIMEOUT_MS)',
    )
  }
  return {
    port: e.PORT,
    host: e.HOST,
    metricsPort: e.METRICS_PORT,
    queueUrl: e.ORDERS_QUEUE_URL ?? e.COPILOT_QUEUE_URI ?? '',
    region: e.AWS_REGION,
    endpoint: e.AWS_ENDPOINT_URL,
    concurrency: e.PROCESSOR_CONCURRENCY,
    processingTimeMs: e.PROCESSING_TIME_MS,
    processingJitterMs: e.PROCESSING_JITTER_MS,
    retryDelaySeconds: e.RETRY_DELAY_SECONDS,
    leaseMs: e.ORDER_LEASE_SECONDS * 1000,
    maxReceiveCount: e.MAX_RECEIVE_COUNT,
    store,
    storeMaxInFlight: e.STORE_MAX_IN_FLIGHT,
    logLevel: e.LOG_LEVEL,
  }
}
