import { DEFAULT_PROCESSING_TIME_MS } from '@orders/order/payment'
import { logLevel, parseEnv, port } from '@orders/service/config'
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

// About a second of one task's async throughput: SNS acknowledges in milliseconds, so a thousand
// orders waiting means it has slowed a hundredfold, and each one holds a socket and its memory.
export const DEFAULT_PUBLISH_WAITING_LIMIT = 1000

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
    SYNC_CONCURRENCY: z.coerce.number().int().positive().default(20),
    // Unset: SYNC_CONCURRENCY, one payment round (see parseConfig).
    SYNC_QUEUE_LIMIT: z.coerce.number().int().nonnegative().optional(),
    PUBLISH_WAITING_LIMIT: z.coerce
      .number()
      .int()
      .positive()
      .default(DEFAULT_PUBLISH_WAITING_LIMIT),
    PROCESSING_TIME_MS: z.coerce.number().int().nonnegative().default(DEFAULT_PROCESSING_TIME_MS),
    SNS_PUBLISH_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
    // A minute is already absurd for a linger: it holds every order's 202 that long.
    PUBLISH_LINGER_MS: z.coerce.number().int().nonnegative().max(60_000).default(2),
    LOG_LEVEL: logLevel,
  })
  .refine((env) => env.ORDERS_TOPIC_ARN ?? env.COPILOT_SNS_TOPIC_ARNS, {
    message: 'set ORDERS_TOPIC_ARN (or COPILOT_SNS_TOPIC_ARNS with an "orders" key)',
    path: ['ORDERS_TOPIC_ARN'],
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
  processingTimeMs: number
  publishTimeoutMs: number
  publishLingerMs: number
  logLevel: string
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const e = parseEnv(schema, env, 'receiver')
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
    processingTimeMs: e.PROCESSING_TIME_MS,
    publishTimeoutMs: e.SNS_PUBLISH_TIMEOUT_MS,
    publishLingerMs: e.PUBLISH_LINGER_MS,
    logLevel: e.LOG_LEVEL,
  }
}
