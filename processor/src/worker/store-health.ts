import type { Logger } from 'pino'
import type { Backoff } from './backoff.ts'
import { createErrorLog } from './error-log.ts'

// How the orders table has been answering the pool's orders.
export type StoreHealth = { failed: (err: unknown) => void; succeeded: () => void }

// The table down is an outage like SQS's: every receiver waits longer before its next receive
// (each receiver's own backoff, so a drain can cut every wait short), messages are not fetched
// only to be left again, and the first answer resets them all. Logged as boundedly as SQS errors.
export function createStoreHealth(backoffs: readonly Backoff[], logger: Logger): StoreHealth {
  const errors = createErrorLog(logger, 'orders table', {
    next: 'messages left for redelivery; receives back off',
  })
  return {
    failed(err) {
      errors.failed(err)
      for (const backoff of backoffs) backoff.failed()
    },
    succeeded() {
      errors.succeeded()
      for (const backoff of backoffs) backoff.succeeded()
    },
  }
}
