import { performance } from 'node:perf_hooks'
import type { Message } from '@aws-sdk/client-sqs'
import type { ProcessOrder } from '@orders/order/payment'
import type { Logger } from 'pino'
import { unwrapEnvelope } from './envelope.ts'
import type { IdempotencyRecord } from './idempotency.ts'
import type { ProcessorMetrics } from './metrics.ts'
import { type OrderMessage, parseOrderJson } from './order-json.ts'

export function readOrderMessage(body: string | undefined): OrderMessage {
  const unwrapped = unwrapEnvelope(body)
  if (!unwrapped.ok) return unwrapped
  return parseOrderJson(unwrapped.message)
}

export function isPoison(message: Message): boolean {
  return !readOrderMessage(message.Body).ok
}

type HandlerDeps = {
  processOrder: ProcessOrder
  record: IdempotencyRecord
  logger: Logger
  metrics: ProcessorMetrics
}

// The consumer pool deletes a message when the handler returns it and leaves it on the queue when
// the handler throws. A throw is therefore a retry; after the queue's maxReceiveCount the redrive
// policy moves the message to the DLQ. Poison throws too: it reaches the DLQ, never vanishes.
export function createMessageHandler({ processOrder, record, logger, metrics }: HandlerDeps) {
  return async (message: Message): Promise<Message> => {
    const messageId = message.MessageId
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 1)
    const read = readOrderMessage(message.Body)
    if (!read.ok) {
      metrics.poison.inc()
      logger.error({ messageId, receiveCount, reason: read.reason }, 'poison message')
      throw new Error(`poison message: ${read.reason}`)
    }

    const orderId = read.order.order_id
    const started = performance.now()
    metrics.inFlight.inc()
    let outcome: Awaited<ReturnType<IdempotencyRecord['run']>>
    try {
      outcome = await record.run(orderId, () => processOrder(read.order))
    } catch (err) {
      metrics.failed.inc()
      logger.warn({ err, orderId, messageId, receiveCount }, 'order failed; will be retried')
      throw err
    } finally {
      metrics.inFlight.dec()
    }

    if (outcome === 'duplicate') {
      metrics.duplicates.inc()
      logger.info({ orderId, messageId }, 'duplicate delivery; payment not repeated')
      return message
    }
    const durationMs = Math.round(performance.now() - started)
    metrics.processed.inc()
    metrics.processingSeconds.observe(durationMs / 1000)
    metrics.endToEndSeconds.observe(
      Math.max(0, Date.now() - Date.parse(read.order.created_at)) / 1000,
    )
    logger.info({ orderId, messageId, durationMs, status: 'completed' }, 'order completed')
    return message
  }
}
