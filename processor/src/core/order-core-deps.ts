import type { ProcessOrder } from '@orders/order/payment'
import type { OrderStore } from '@orders/store/store'
import type { Logger } from 'pino'
import type { OrderMetrics } from './order-metrics.ts'

// What the order core needs from its runtime, the worker's and the function's alike.
export type OrderCoreDeps = {
  processOrder: ProcessOrder
  store: Pick<OrderStore, 'claim' | 'complete' | 'release' | 'fail'>
  // This process (or sandbox): whose lease a claim takes.
  owner: string
  // How long a claim holds the order: longer than the payment may take, no longer than the
  // queue's visibility timeout. On Lambda, the invocation's remaining time when it is known.
  leaseMs: number
  // The attempt that fails for good: the queue's maxReceiveCount on ECS, 1 + its retries on
  // Lambda. Counted by the order's record, and on ECS by the message's receive count too.
  maxAttempts: number
  metrics: OrderMetrics
  logger: Logger
}
