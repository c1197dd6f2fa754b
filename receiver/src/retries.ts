import type { OrderRecord } from '@orders/store/records'

// The mark a failed or timed-out publish leaves on its record (last_error): not published.
export const PUBLISH_FAILED = 'publish_failed'

export type AsyncRetry =
  // Known to be on the topic, or already ended: answered as the first was, nothing published.
  | { action: 'answer' }
  // Not known to be on the topic: published (again).
  | { action: 'publish' }
  // An earlier request may still be publishing it, or the receiver's sync path is paying it.
  | { action: 'wait'; retryAfterSeconds: number }

// What a client's retry of an async order (same order_id, same content) gets. The receiver
// writes nothing when a publish succeeds, so the common path stays one PutItem; "published" is
// known only from the processor's claim (it stores the SNS message id) or a terminal status. A
// failed publish marks the record, so its retry publishes at once. A record with neither is
// trusted to its first request for publishWindowMs, the longest that request can still be
// publishing or marking a failure (linger + SNS timeout + store timeout); after that nothing
// says it reached SNS (the receiver may have died between the PutItem and the publish), so it
// is published again. A second delivery is harmless: the processor's claim pays it once.
export function asyncRetry(
  record: OrderRecord,
  nowMs: number,
  publishWindowMs: number,
): AsyncRetry {
  if (record.status === 'completed' || record.status === 'failed') return { action: 'answer' }
  if (record.messageId !== undefined) return { action: 'answer' }
  if (record.lastError === PUBLISH_FAILED) return { action: 'publish' }
  // Without a message id, processing is the receiver's own sync payment, never published.
  const busyUntil =
    record.status === 'processing'
      ? (record.leaseExpiresAt ?? 0)
      : Date.parse(record.updatedAt) + publishWindowMs
  // Not "<=": a timestamp that does not parse proves nothing either, so it is published.
  if (!(busyUntil > nowMs)) return { action: 'publish' }
  return { action: 'wait', retryAfterSeconds: secondsUntil(busyUntil, nowMs) }
}

// Retry-After is whole seconds; never 0, which would invite a client to spin.
export function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((atMs - nowMs) / 1000))
}
