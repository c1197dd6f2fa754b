import { randomUUID } from 'node:crypto'
import type { OrderCoreDeps } from '../../src/core/order-core.ts'

// The order core's dependencies as the tests run it: an owner of its own, a lease no test waits
// out, and the queue's five attempts; the test gives the rest.
export function coreDeps(
  deps: Pick<OrderCoreDeps, 'processOrder' | 'store' | 'logger' | 'metrics'> &
    Partial<OrderCoreDeps>,
): OrderCoreDeps {
  return { owner: randomUUID(), leaseMs: 25_000, maxAttempts: 5, ...deps }
}
