import type { Logger } from 'pino'
import type { Backoff } from './backoff.ts'
import { createErrorLog } from './error-log.ts'

// How the orders table has been answering the pool's orders.
export type StoreHealth = {
  failed: (err: unknown) => void
  succeeded: () => void
  // What a receiver waits before its next receive: its own backoff, one step longer for every
  // receive it makes while the table fails.
  wait: (backoff: Backoff) => Promise<void>
}

// The table down is an outage like SQS's: receives back off as they do when they fail themselves
// (so messages are not fetched only to be left again), the first answer resets every receiver,
// and the failures are logged as boundedly as SQS errors.
export function createStoreHealth(logger: Logger): StoreHealth {
  const errors = createErrorLog(logger, 'orders table', {
    next: 'messages left for redelivery; receives back off',
  })
  const backoffs = new Set<Backoff>()
  let failing = false
  return {
    failed(err) {
      errors.failed(err)
      failing = true
    },
    succeeded() {
      errors.succeeded()
      if (!failing) return
      failing = false
      for (const backoff of backoffs) backoff.succeeded()
    },
    wait(backoff) {
      backoffs.add(backoff)
      if (failing) backoff.failed()
      return backoff.wait()
    },
  }
}
