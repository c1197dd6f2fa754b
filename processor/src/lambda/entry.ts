import { DEFAULT_PROCESSING_TIME_MS } from '@orders/order/payment'
import { logLevel, parseEnv } from '@orders/service/config'
import { createDynamoClient } from '@orders/store/client'
import { parseStoreConfig } from '@orders/store/config'
import { pino } from 'pino'
import { z } from 'zod'
import { processOwner } from '../core/owner.ts'
import { createEmfMetrics } from './emf-metrics.ts'
import { createFunctionHandler } from './sns-handler.ts'

// The Lambda function's entry point (`index.handler` in the bundle that `npm run build:lambda`
// writes). Only what the function needs is imported here: no SQS client, no HTTP server.
// A bad variable fails the function's init with one line naming it (a ConfigError).
const env = parseEnv(
  z.object({
    PROCESSING_TIME_MS: z.coerce.number().int().nonnegative().default(DEFAULT_PROCESSING_TIME_MS),
    // Lambda sets it in every sandbox.
    AWS_REGION: z.string().min(1).default('us-east-1'),
    // Powertools' own variable for the CloudWatch namespace of the function's metrics.
    POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default('Orders'),
    LOG_LEVEL: logLevel,
  }),
  process.env,
  'processor lambda',
)
const store = parseStoreConfig(process.env, 'processor lambda')

// Synchronous writes: Lambda may freeze the sandbox as soon as the handler returns, and a
// buffered line would then reach CloudWatch late or never.
const logger = pino({ name: 'processor', level: env.LOG_LEVEL }, pino.destination({ sync: true }))
const metrics = createEmfMetrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE, logger })

export const handler = createFunctionHandler({
  processingTimeMs: env.PROCESSING_TIME_MS,
  // The endpoint is the SDK's own (AWS_ENDPOINT_URL_DYNAMODB, where an emulator stands in).
  dynamodb: createDynamoClient({ region: env.AWS_REGION }),
  tableName: store.tableName,
  storeTimeoutMs: store.timeoutMs,
  owner: processOwner(),
  // Lambda's context always says the time left; this is for a runtime that would not.
  leaseMs: 25_000,
  logger,
  metrics,
  flush: metrics.flush,
})
