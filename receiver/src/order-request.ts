import { type OrderRequest, parseOrderRequest } from '@orders/order/order'
import { HttpError } from './errors.ts'

// Ids the order schema allows that cannot name their own status URL: /orders/sync and
// /orders/async are the POST routes, and clients resolve "." and ".." away before sending.
const UNREACHABLE_IDS = new Set(['sync', 'async', '.', '..'])

// Every character the order_id rule allows is a pchar (RFC 3986 §3.3), so the id goes into the
// path as it is.
export function statusUrl(orderId: string): string {
  return `/orders/${orderId}`
}

export function acceptOrder(body: unknown): OrderRequest {
  const parsed = parseOrderRequest(body)
  if (!parsed.ok) {
    throw new HttpError(400, 'invalid_order', 'the order is not valid', { issues: parsed.issues })
  }
  if (UNREACHABLE_IDS.has(parsed.value.order_id)) {
    const issue = { path: 'order_id', message: 'is reserved: its status URL would not reach it' }
    throw new HttpError(400, 'invalid_order', 'the order is not valid', { issues: [issue] })
  }
  return parsed.value
}

export function orderConflict(): HttpError {
  return new HttpError(
    409,
    'order_conflict',
    'another order with this order_id was already accepted; use a new order_id',
  )
}

// Someone else is on this order right now: its status is at the Location, or ask again later.
export function orderInProgress(orderId: string, retryAfterSeconds: number): HttpError {
  return new HttpError(
    409,
    'order_in_progress',
    'this order is being handled by an earlier request; follow it at its status URL',
    { status_url: statusUrl(orderId) },
    { Location: statusUrl(orderId), 'Retry-After': String(retryAfterSeconds) },
  )
}
