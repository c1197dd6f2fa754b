import { performance } from 'node:perf_hooks'
import { type Order, startPayment } from '@orders/order/order'
import type { ProcessOrder } from '@orders/order/payment'
import { type OrderStore, StoreUnavailableError } from '@orders/store/store'
import type { Logger } from 'pino'
import { type Delivery, deliveryFields, readDelivery } from './delivery.ts'
import type { OrderMetrics } from './order-metrics.ts'
import type { OrderCore, Outcome } from './outcome.ts'

export type { OrderCore, Outcome } from './outcome.ts'

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

// A line says what happens next, and that is the runtime's to decide: SQS delivers a failed
// message again, Lambda retries the failed invocation.
const words = {
  sqs: { poison: 'poison message', failed: 'order failed; will be retried' },
  sns: { poison: 'poison record', failed: 'order failed; the invocation fails' },
} as const

// The order core of both runtimes: reads the delivery once, pays an order only while it holds the
// order's claim in the shared table (so at most once across processes, both runtimes alike),
// records the end, counts and logs what happened, and says so in the outcome. Failures of the
// payment and of the table are outcomes; it throws only on a defect.
export function createOrderCore(deps: OrderCoreDeps): OrderCore {
  const { store, metrics, logger } = deps
  return async (delivery) => {
    const fields = deliveryFields(delivery)
    const read = readDelivery(delivery)
    if (!read.ok) {
      metrics.poison()
      logger.error({ ...fields, reason: read.reason }, words[delivery.source].poison)
      if (read.orderId === undefined) return { kind: 'poison', reason: read.reason }
      return failPoison(read.orderId, read.reason, fields)
    }
    const orderId = read.order.order_id
    metrics.started()
    try {
      return await claimAndPay(delivery, read.order, read.snsMessageId, fields)
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error
      logger.debug({ orderId, ...fields, err: error }, 'orders table unavailable; delivery left')
      return { kind: 'unavailable', orderId, error }
    } finally {
      metrics.settled()
    }
  }

  async function claimAndPay(
    delivery: Delivery,
    order: Order,
    messageId: string | undefined,
    fields: ReturnType<typeof deliveryFields>,
  ): Promise<Outcome> {
    const { owner, processOrder } = deps
    const orderId = order.order_id
    const leaseMs = (delivery.source === 'sns' && delivery.remainingMs) || deps.leaseMs
    const claim = await store.claim({ orderId, owner, leaseMs, messageId })
    if (claim.kind === 'completed' || claim.kind === 'failed') {
      metrics.duplicate()
      logger.info(
        { orderId, ...fields, status: claim.kind },
        'duplicate delivery; payment not repeated',
      )
      return { kind: 'duplicate', orderId, status: claim.kind }
    }
    if (claim.kind === 'held') {
      const retryAfterMs = Math.max(0, (claim.record.leaseExpiresAt ?? 0) - Date.now())
      logger.info(
        { orderId, ...fields, retryAfterMs },
        'order held by another processor; left for later',
      )
      return { kind: 'held', orderId, retryAfterMs }
    }

    const started = performance.now()
    try {
      await processOrder(startPayment(order))
    } catch (error) {
      metrics.failed()
      const final = claim.attempts >= deps.maxAttempts || receivedLastTime(delivery)
      const released = await store.release({ orderId, owner, errorCode: 'payment_failed', final })
      if (released.kind === 'lease_lost') return leaseLost(orderId, fields)
      if (final) {
        metrics.terminal('failed')
        logger.error(
          { err: error, orderId, ...fields, attempts: claim.attempts },
          'order failed; no attempts left',
        )
        return { kind: 'failed', orderId, error }
      }
      logger.warn({ err: error, orderId, ...fields }, words[delivery.source].failed)
      return { kind: 'retry', orderId, error }
    }

    const completed = await store.complete({ orderId, owner }).catch((error: unknown) => {
      // The payment ran and its end is not recorded: after the lease it is paid again. The
      // payment provider's idempotency key (order_id) is what covers this window.
      logger.warn({ orderId, ...fields, err: error }, 'order paid; its completion not recorded')
      throw error
    })
    if (completed.kind === 'lease_lost') return leaseLost(orderId, fields)
    const durationMs = Math.round(performance.now() - started)
    const endToEndMs = Math.max(0, Date.now() - Date.parse(order.created_at))
    metrics.completed({ processingSeconds: durationMs / 1000, endToEndSeconds: endToEndMs / 1000 })
    metrics.terminal('completed')
    logger.info({ orderId, ...fields, durationMs, status: 'completed' }, 'order completed')
    return { kind: 'completed', orderId, durationMs }
  }

  // The lease ended before this process finished and another one claimed the order: it is that
  // one's to finish; this delivery comes back and finds it done.
  function leaseLost(orderId: string, fields: ReturnType<typeof deliveryFields>): Outcome {
    logger.warn({ orderId, ...fields }, 'order lease lost to another processor')
    return { kind: 'held', orderId, retryAfterMs: deps.leaseMs }
  }

  function receivedLastTime(delivery: Delivery) {
    return delivery.source === 'sqs' && delivery.receiveCount >= deps.maxAttempts
  }

  // Poison that names its order: the order can never complete, so its record ends failed.
  async function failPoison(
    orderId: string,
    reason: string,
    fields: ReturnType<typeof deliveryFields>,
  ): Promise<Outcome> {
    try {
      const failed = await store.fail({ orderId, errorCode: 'invalid_order' })
      if (failed.kind === 'failed') metrics.terminal('failed')
      return { kind: 'poison', reason }
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error
      logger.debug({ orderId, ...fields, err: error }, 'orders table unavailable; delivery left')
      return { kind: 'unavailable', orderId, error }
    }
  }
}
