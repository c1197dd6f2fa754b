import { createPayment, DEFAULT_PROCESSING_TIME_MS } from '@orders/order/payment'
import { logLevel, parseEnv } from '@orders/service/config'
import { pino } from 'pino'
import { z } from 'zod'
import { createSnsHandler } from './sns-handler.ts'

// The Lambda function's entry point (`index.handler` in the bundle that `npm run build:lambda`
// writes). Only what the function needs is imported here: no SQS client, no HTTP server.
// A bad variable fails the function's init with one line naming it (a ConfigError).
const env = parseEnv(
  z.object({
    PROCESSING_TIME_MS: z.coerce.number().int().nonnegative().default(DEFAULT_PROCESSING_TIME_MS),
    LOG_LEVEL: logLevel,
  }),
  process.env,
  'processor lambda',
)

export const handler = createSnsHandler({
  processOrder: createPayment(env.PROCESSING_TIME_MS),
  // Synchronous writes: Lambda may freeze the sandbox as soon as the handler returns, and a
  // buffered line would then reach CloudWatch late or never.
  logger: pino({ name: 'processor', level: env.LOG_LEVEL }, pino.destination({ sync: true })),
})
