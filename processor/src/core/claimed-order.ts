import { performance } from 'node:perf_hooks'
import { type Order, startPayment } from '@orders/order/order'
import type { Delivery, deliveryFields } from './delivery.ts'
import type { OrderCoreDeps } from './order-core-deps.ts'
import type { Outcome } from './outcome.ts'

type Claimed = {
  delivery: Delivery
  order: Order
  // The claim's count of attempts, this one included.
  attempts: number
  fields: ReturnType<typeof deliveryFields>
}

// A line says what happens next, and that is the runtime's to decide: SQS delivers a failed
// message again, Lambda retries the failed invocation.
const failedWords = {
  sqs: 'order failed; will be retried',
  sns: 'order failed; the invocation fails',
} as const

// An order this process has claimed: paid, then recorded completed while the claim still holds;
// a failed payment returns it to pending, or ends it failed on its last attempt.
export async function payClaimed(deps: OrderCoreDeps, claimed: Claimed): Promise<Outcome> {
  const { store, owner, metrics, logger } = deps
  const { delivery, order, attempts, fields } = claimed
  const orderId = order.order_id
  const started = performance.now()
  try {
    await deps.processOrder(startPayment(order))
  } catch (error) {
    metrics.failed()
    const final = attempts >= deps.maxAttempts || receivedLastTime(delivery, deps.maxAttempts)
    const released = await store.release({ orderId, owner, errorCode: 'payment_failed', final })
    if (released.kind === 'lease_lost') return leaseLost(deps, orderId, fields)
    if (final) {
      metrics.terminal('failed')
      logger.error({ err: error, orderId, ...fields, attempts }, 'order failed; no attempts left')
      return { kind: 'failed', orderId, error }
    }
    logger.warn({ err: error, orderId, ...fields }, failedWords[delivery.source])
    return { kind: 'retry', orderId, error }
  }

  const completed = await store.complete({ orderId, owner }).catch((error: unknown) => {
    // The payment ran and its end is not recorded: after the lease it is paid again. The
    // payment provider's idempotency key (order_id) is what covers this window.
    logger.warn({ orderId, ...fields, err: error }, 'order paid; its completion not recorded')
    throw error
  })
  if (completed.kind === 'lease_lost') return leaseLost(deps, orderId, fields)
  const durationMs = Math.round(performance.now() - started)
  const endToEndMs = Math.max(0, Date.now() - Date.parse(order.created_at))
  metrics.completed({ processingSeconds: durationMs / 1000, endToEndSeconds: endToEndMs / 1000 })
  metrics.terminal('completed')
  logger.info({ orderId, ...fields, durationMs, status: 'completed' }, 'order completed')
  return { kind: 'completed', orderId, durationMs }
}

// On ECS the queue moves a message to the DLQ after maxReceiveCount receives: the last one.
function receivedLastTime(delivery: Delivery, maxAttempts: number) {
  return delivery.source === 'sqs' && delivery.receiveCount >= maxAttempts
}

// The lease ended before this process finished and another one claimed the order: it is that
// one's to finish; this delivery comes back and finds it done.
function leaseLost(
  { logger, leaseMs }: OrderCoreDeps,
  orderId: string,
  fields: Claimed['fields'],
): Outcome {
  logger.warn({ orderId, ...fields }, 'order lease lost to another processor')
  return { kind: 'held', orderId, retryAfterMs: leaseMs }
}
