import { performance } from 'node:perf_hooks'
import { startPayment } from '@orders/order/order'
import type { ProcessOrder } from '@orders/order/payment'
import type { Logger } from 'pino'
import { type Delivery, deliveryFields, readDelivery } from './delivery.ts'
import type { IdempotencyRecord } from './idempotency.ts'
import type { OrderMetrics } from './order-metrics.ts'

// What became of one delivery. The runtime acts on it: the worker deletes a completed or duplicate
// message and makes the others visible again; the function returns, or throws to be retried.
export type Outcome =
  | { kind: 'completed'; orderId: string; durationMs: number }
  | { kind: 'duplicate'; orderId: string }
  // The payment failed; another attempt may still complete it.
  | { kind: 'retry'; orderId: string; error: unknown }
  // The message can never become an order: retrying it is pointless.
  | { kind: 'poison'; reason: string }

export type OrderCore = (delivery: Delivery) => Promise<Outcome>

export type OrderCoreDeps = {
  processOrder: ProcessOrder
  record: IdempotencyRecord
  metrics: OrderMetrics
  logger: Logger
}

// A line says what happens next, and that is the runtime's to decide: SQS delivers a failed
// message again, Lambda retries the failed invocation.
const words = {
  sqs: { poison: 'poison message', failed: 'order failed; will be retried' },
  sns: { poison: 'poison record', failed: 'order failed; the invocation fails' },
} as const

// The order core of both runtimes: reads the delivery once, pays each order at most once per
// process (the idempotency record), counts and logs what happened, and says so in the outcome.
// It never throws: a payment that fails is an outcome like any other.
export function createOrderCore(deps: OrderCoreDeps): OrderCore {
  const { processOrder, record, metrics, logger } = deps
  return async (delivery) => {
    const fields = deliveryFields(delivery)
    const read = readDelivery(delivery)
    if (!read.ok) {
      metrics.poison()
      logger.error({ ...fields, reason: read.reason }, words[delivery.source].poison)
      return { kind: 'poison', reason: read.reason }
    }

    const { order } = read
    const orderId = order.order_id
    const started = performance.now()
    metrics.started()
    let ran: Awaited<ReturnType<IdempotencyRecord['run']>>
    try {
      ran = await record.run(orderId, () => processOrder(startPayment(order)))
    } catch (error) {
      metrics.failed()
      logger.warn({ err: error, orderId, ...fields }, words[delivery.source].failed)
      return { kind: 'retry', orderId, error }
    } finally {
      metrics.settled()
    }

    if (ran === 'duplicate') {
      metrics.duplicate()
      logger.info({ orderId, ...fields }, 'duplicate delivery; payment not repeated')
      return { kind: 'duplicate', orderId }
    }
    const durationMs = Math.round(performance.now() - started)
    const endToEndMs = Math.max(0, Date.now() - Date.parse(order.created_at))
    metrics.completed({ processingSeconds: durationMs / 1000, endToEndSeconds: endToEndMs / 1000 })
    logger.info({ orderId, ...fields, durationMs, status: 'completed' }, 'order completed')
    return { kind: 'completed', orderId, durationMs }
  }
}
