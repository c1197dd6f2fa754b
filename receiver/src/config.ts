import { DEFAULT_PROCESSING_TIME_MS } from '@orders/order/payment'
import { logLevel, parseEnv, port } from '@orders/service/config'
import { parseStoreConfig } from '@orders/store/config'
import { DEFAULT_STORE_TIMEOUT_MS } from '@orders/store/store'
import { z } from 'zod'

const copilotTopics = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON' })
      return z.NEVER
    }
  })
  .pipe(z.object({ orders: z.string().startsWith('arn:') }))

// The ALB closes a connection idle this long (Elastic Load Balancing, Application Load Balancers
// user guide, "Edit attributes", connection idle timeout: 60 s by default; looked up 2026-12-01).
// Copilot v1.34.1 has no manifest field for it, so the environment's load balancer keeps it.
export const ALB_IDLE_TIMEOUT_MS = 60_000
// Node's own requestTimeout: a request whose headers have not arrived by then is ended anyway.
const NODE_REQUEST_TIMEOUT_MS = 300_000
// About a second of one task's async throughput: SNS acknowledges in milliseconds, so a thousand
// orders waiting means it has slowed a hundredfold, and each one holds a socket and its memory.
export const DEFAULT_PUBLISH_WAITING_LIMIT = 1000

const DEFAULT_PUBLISH_TIMEOUT_MS = 5000
const DEFAULT_LINGER_MS = 2

// The longest an async order's first request can still be publishing, or marking its publish
// failed, after its record was written: its linger, its SNS call, its marking write. A retry
// within it is told to wait (409 order_in_progress); after it, an order not known to be on the
// topic is published again (retries.ts).
export function publishWindow(lingerMs: number, publishTimeoutMs: number, storeTimeoutMs: number) {
  return lingerMs + publishTimeoutMs + storeTimeoutMs
}
export const DEFAULT_PUBLISH_WINDOW_MS = publishWindow(
  DEFAULT_LINGER_MS,
  DEFAULT_PUBLISH_TIMEOUT_MS,
  DEFAULT_STORE_TIMEOUT_MS,
)

// The receiver's lease on a sync order it pays: twice the payment, and never under 10 s, so a
// slow payment keeps its claim. A receiver that dies mid-payment holds the order that long.
export function syncLease(processingTimeMs: number) {
  return Math.max(10_000, 2 * processingTimeMs)
}
export const DEFAULT_SYNC_LEASE_MS = syncLease(DEFAULT_PROCESSING_TIME_MS)

const millis = z.coerce.number().int().positive()

const schema = z
  .object({
    PORT: port.default(8080),
    HOST: z.string().default('127.0.0.1'),
    METRICS_PORT: port.default(9080),
    ORDERS_TOPIC_ARN: z.string().startsWith('arn:').optional(),
    // Copilot injects every topic a service publishes as one JSON object keyed by topic name.
    COPILOT_SNS_TOPIC_ARNS: copilotTopics.optional(),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    AWS_ENDPOINT_URL: z.url().optional(),
    // Read by the SDK itself, before AWS_ENDPOINT_URL, for DynamoDB only; checked here so a bad
    // value is named at start-up rather than on the first order.
    AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
    SYNC_CONCURRENCY: z.coerce.number().int().positive().default(20),
    // Unset: SYNC_CONCURRENCY, one payment round (see parseConfig).
    SYNC_QUEUE_LIMIT: z.coerce.number().int().nonnegative().optional(),
    PUBLISH_WAITING_LIMIT: z.coerce
      .number()
      .int()
      .positive()
      .default(DEFAULT_PUBLISH_WAITING_LIMIT),
    KEEP_ALIVE_TIMEOUT_MS: millis.default(65_000),
    HEADERS_TIMEOUT_MS: millis.max(NODE_REQUEST_TIMEOUT_MS).default(66_000),
    PROCESSING_TIME_MS: z.coerce.number().int().nonnegative().default(DEFAULT_PROCESSING_TIME_MS),
    SNS_PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_PUBLISH_TIMEOUT_MS),
    // A minute is already absurd for a linger: it holds every order's 202 that long.
    PUBLISH_LINGER_MS: z.coerce.number().int().nonnegative().max(60_000).default(DEFAULT_LINGER_MS),
    LOG_LEVEL: logLevel,
  })
  .refine((env) => env.ORDERS_TOPIC_ARN ?? env.COPILOT_SNS_TOPIC_ARNS, {
    message: 'set ORDERS_TOPIC_ARN (or COPILOT_SNS_TOPIC_ARNS with an "orders" key)',
    path: ['ORDERS_TOPIC_ARN'],
  })
  // The load balancer must be the side that closes an idle connection: were the receiver first, the
  // ALB could send the next request into a socket being closed and answer 502 (same guide).
  .refine((env) => env.KEEP_ALIVE_TIMEOUT_MS > ALB_IDLE_TIMEOUT_MS, {
    message: `must be above the load balancer's idle timeout (${ALB_IDLE_TIMEOUT_MS} ms by default), so the load balancer closes idle connections first`,
    path: ['KEEP_ALIVE_TIMEOUT_MS'],
  })
  // The headers of the next request on a kept-alive connection may arrive at the end of its idle
  // time; a shorter headers timeout would cut that request off.
  .refine((env) => env.HEADERS_TIMEOUT_MS > env.KEEP_ALIVE_TIMEOUT_MS, {
    message: 'must be above KEEP_ALIVE_TIMEOUT_MS',
    path: ['HEADERS_TIMEOUT_MS'],
  })
  .refine((env) => env.PORT === 0 || env.METRICS_PORT !== env.PORT, {
    message: 'must differ from PORT: metrics stay off the public port',
    path: ['METRICS_PORT'],
  })

export type Config = {
  port: number
  host: string
  metricsPort: number
  topicArn: string
  region: string
  endpoint: string | undefined
  syncConcurrency: number
  syncQueueLimit: number
  publishWaitingLimit: number
  keepAliveTimeoutMs: number
  headersTimeoutMs: number
  processingTimeMs: number
  publishTimeoutMs: number
  publishLingerMs: number
  // ORDERS_TABLE_NAME (or Copilot's variable) and STORE_TIMEOUT_MS, read by @orders/store.
  tableName: string
  storeTimeoutMs: number
  publishWindowMs: number
  syncLeaseMs: number
  logLevel: string
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const e = parseEnv(schema, env, 'receiver')
  const store = parseStoreConfig(env, 'receiver')
  return {
    port: e.PORT,
    host: e.HOST,
    metricsPort: e.METRICS_PORT,
    topicArn: e.ORDERS_TOPIC_ARN ?? e.COPILOT_SNS_TOPIC_ARNS?.orders ?? '',
    region: e.AWS_REGION,
    endpoint: e.AWS_ENDPOINT_URL,
    syncConcurrency: e.SYNC_CONCURRENCY,
    // As many waiting as payments running: each waiter gets the slot of one running payment, so it
    // waits at most one PROCESSING_TIME_MS, and an admitted sync order is answered within two.
    syncQueueLimit: e.SYNC_QUEUE_LIMIT ?? e.SYNC_CONCURRENCY,
    publishWaitingLimit: e.PUBLISH_WAITING_LIMIT,
    keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
    processingTimeMs: e.PROCESSING_TIME_MS,
    publishTimeoutMs: e.SNS_PUBLISH_TIMEOUT_MS,
    publishLingerMs: e.PUBLISH_LINGER_MS,
    tableName: store.tableName,
    storeTimeoutMs: store.timeoutMs,
    publishWindowMs: publishWindow(e.PUBLISH_LINGER_MS, e.SNS_PUBLISH_TIMEOUT_MS, store.timeoutMs),
    syncLeaseMs: syncLease(e.PROCESSING_TIME_MS),
    logLevel: e.LOG_LEVEL,
  }
}
