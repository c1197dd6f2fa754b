import { newOrder, type Order, type OrderRequest } from '@orders/order/order'
import { requestHash } from '@orders/store/records'
import type { RequestHandler } from 'express'
import type { Logger } from 'pino'
import { createLimit } from './admission.ts'
import { HttpError, overloaded } from './errors.ts'
import type { PublishOrder } from './message.ts'
import type { ReceiverMetrics } from './metrics.ts'
import { acceptOrder, orderConflict, orderInProgress, statusUrl } from './order-request.ts'
import type { ReceiverRecords } from './records.ts'
import { asyncRetry } from './retries.ts'

export type AsyncDeps = {
  records: ReceiverRecords
  publishOrder: PublishOrder
  logger: Logger
  metrics: ReceiverMetrics
  publishWaitingLimit: number
  publishWindowMs: number
}

type Accepted = { order: Order; status: string; messageId: string | undefined }

// POST /orders/async: recorded, then published, then 202. The 202 is sent only once the record
// is readable at its Location and SNS has acknowledged the order (or, for a retry, once the
// record shows the processor received it).
export function asyncOrders(deps: AsyncDeps): RequestHandler {
  const { records, publishOrder, logger, metrics, publishWindowMs } = deps
  // Bounds the orders waiting on the table and on SNS, so a slow one holds few sockets.
  const awaitingAck = createLimit(deps.publishWaitingLimit, metrics.awaitingAck)
  // Orders whose record is being written: each will be published next, so a batch waits for them.
  let recording = 0

  return async (req, res) => {
    const arrivedAt = performance.now()
    const request = acceptOrder(req.body)
    const accepted = await awaitingAck(() => accept(request, arrivedAt))
    if (accepted.outcome === 'overloaded') throw overloaded()
    const { order, status, messageId } = accepted.value
    const url = statusUrl(order.order_id)
    res
      .status(202)
      .location(url)
      .json({ order_id: order.order_id, status, message_id: messageId, status_url: url })
  }

  async function accept(request: OrderRequest, arrivedAt: number): Promise<Accepted> {
    recording += 1
    const recorded = await records
      .record({ orderId: request.order_id, requestHash: requestHash(request) })
      .finally(() => {
        recording -= 1
      })
    const { record } = recorded
    const reason = (name: string) => metrics.alreadyRecorded.inc({ mode: 'async', reason: name })
    if (recorded.kind === 'conflict') {
      reason('conflict')
      throw orderConflict()
    }
    // The record's timestamp is the order's: every publish of it carries the same message.
    const order = newOrder(request, new Date(record.createdAt))
    if (recorded.kind === 'retry') {
      const retry = asyncRetry(record, Date.now(), publishWindowMs)
      if (retry.action === 'wait') {
        reason('in_progress')
        throw orderInProgress(order.order_id, retry.retryAfterSeconds)
      }
      if (retry.action === 'answer') {
        reason('retry_same_content')
        return { order, status: record.status, messageId: record.messageId }
      }
      reason('retry_resumed')
    }
    const { messageId } = await publish(order, arrivedAt)
    metrics.accepted.inc({ mode: 'async' })
    logger.info({ orderId: order.order_id, messageId }, 'order accepted')
    return { order, status: record.status, messageId }
  }

  async function publish(order: Order, arrivedAt: number) {
    const stopTimer = metrics.publishSeconds.startTimer()
    try {
      const result = await publishOrder(order, { arrivedAt, moreOnTheWay: recording > 0 })
      stopTimer({ outcome: 'ok' })
      return result
    } catch (err) {
      stopTimer({ outcome: 'error' })
      logger.error({ err, orderId: order.order_id }, 'publish failed')
      // Without the mark the retry still publishes, once publishWindowMs has passed.
      await records.markUnpublished(order.order_id).catch((markErr: unknown) => {
        logger.warn({ err: markErr, orderId: order.order_id }, 'publish failure not marked')
      })
      throw new HttpError(503, 'publish_failed', 'the order could not be queued; retry later')
    }
  }
}
