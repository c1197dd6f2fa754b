import { DEFAULT_PROCESSING_TIME_MS } from '@orders/order/payment'
import { logLevel, parseEnv } from '@orders/service/config'
import { pino } from 'pino'
import { z } from 'zod'
import { createEmfMetrics } from './emf-metrics.ts'
import { createFunctionHandler } from './sns-handler.ts'

// The Lambda function's entry point (`index.handler` in the bundle that `npm run build:lambda`
// writes). Only what the function needs is imported here: no SQS client, no HTTP server.
// A bad variable fails the function's init with one line naming it (a ConfigError).
const env = parseEnv(
  z.object({
    PROCESSING_TIME_MS: z.coerce.number().int().nonnegative().default(DEFAULT_PROCESSING_TIME_MS),
    IDEMPOTENCY_CAPACITY: z.coerce.number().int().positive().default(100_000),
    // Powertools' own variable for the CloudWatch namespace of the function's metrics.
    POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default('Orders'),
    LOG_LEVEL: logLevel,
  }),
  process.env,
  'processor lambda',
)

// Synchronous writes: Lambda may freeze the sandbox as soon as the handler returns, and a
// buffered line would then reach CloudWatch late or never.
const logger = pino({ name: 'processor', level: env.LOG_LEVEL }, pino.destination({ sync: true }))
const metrics = createEmfMetrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE, logger })

export const handler = createFunctionHandler({
  processingTimeMs: env.PROCESSING_TIME_MS,
  idempotencyCapacity: env.IDEMPOTENCY_CAPACITY,
  logger,
  metrics,
  flush: metrics.flush,
})
