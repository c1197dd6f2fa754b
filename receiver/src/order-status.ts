import { orderRequestSchema } from '@orders/order/order'
import type { OrderRecord } from '@orders/store/records'
import type { RequestHandler } from 'express'
import { HttpError } from './errors.ts'
import type { ReceiverMetrics } from './metrics.ts'
import type { ReceiverRecords } from './records.ts'

// How soon a client polling an order that is still pending or processing should ask again.
export const STATUS_RETRY_AFTER_SECONDS = 1

const orderId = orderRequestSchema.shape.order_id

type StatusDeps = { records: Pick<ReceiverRecords, 'get'>; metrics: ReceiverMetrics }

// GET /orders/{order_id}: the status monitor a 202 points to, read strongly consistent, so an
// order accepted a moment ago is never 404 here. Nothing of the order's content is in the table,
// so nothing of it (customer, items, prices) can leak from this unauthenticated route.
export function orderStatus({ records, metrics }: StatusDeps): RequestHandler {
  const count = (result: string) => metrics.statusRequests.inc({ result })
  return async (req, res) => {
    const id = orderId.safeParse(req.params.orderId)
    if (!id.success) {
      count('invalid_id')
      const issues = id.error.issues.map((issue) => ({ path: 'order_id', message: issue.message }))
      throw new HttpError(400, 'invalid_order_id', 'the order_id is not valid', { issues })
    }
    const record = await records.get(id.data).catch((err: unknown) => {
      count('unavailable')
      throw err
    })
    if (record === undefined) {
      count('not_found')
      throw new HttpError(404, 'order_not_found', 'no order has this order_id')
    }
    count(record.status)
    const terminal = record.status === 'completed' || record.status === 'failed'
    if (!terminal) res.set('Retry-After', String(STATUS_RETRY_AFTER_SECONDS))
    res.json(statusBody(record))
  }
}

export function statusBody(record: OrderRecord) {
  return {
    order_id: record.orderId,
    status: record.status,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    attempts: record.attempts,
    ...(record.status === 'failed' && record.lastError ? { error: record.lastError } : {}),
  }
}
