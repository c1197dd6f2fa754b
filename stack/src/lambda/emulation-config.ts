import { parseConfig } from '@orders/processor/config'
import { parseEnv } from '@orders/service/config'
import { z } from 'zod'

// The emulation reads the worker's variables (port, queue, AWS endpoint, payment time, log level)
// and these: the addon's settings for the function, so both run with the same numbers.
const schema = z.object({
  ORDERS_DLQ_URL: z.url(),
  LAMBDA_RESERVED_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
  LAMBDA_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  // Lambda allows 900; here it must stay under the queue's 30 s visibility timeout, or an event
  // still running would be delivered a second time.
  LAMBDA_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(25).default(10),
  LAMBDA_MAX_EVENT_AGE_SECONDS: z.coerce.number().int().min(60).max(21_600).default(21_600),
})

export type EmulationConfig = ReturnType<typeof parseEmulationConfig>

export function parseEmulationConfig(env: NodeJS.ProcessEnv) {
  const worker = parseConfig(env)
  const e = parseEnv(schema, env, 'lambda emulation')
  return {
    ...worker,
    onFailureUrl: e.ORDERS_DLQ_URL,
    reservedConcurrency: e.LAMBDA_RESERVED_CONCURRENCY,
    retryDelaySeconds: e.LAMBDA_RETRY_DELAY_SECONDS,
    timeoutMs: e.LAMBDA_TIMEOUT_SECONDS * 1000,
    maxEventAgeSeconds: e.LAMBDA_MAX_EVENT_AGE_SECONDS,
    // The addon's MaximumRetryAttempts; Lambda allows 0 to 2.
    maxRetries: 2,
  }
}
