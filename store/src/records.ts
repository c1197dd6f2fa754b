import { createHash } from 'node:crypto'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import type { OrderRequest } from '@orders/order/order'
import { RETENTION_SECONDS } from './table.ts'

export const recordStatuses = ['pending', 'processing', 'completed', 'failed'] as const
export type RecordStatus = (typeof recordStatuses)[number]

// One order's item, as its status monitor and its processors read it. Nothing of the order's
// content is kept: only its hash, to tell a client's retry from a conflicting order.
export type OrderRecord = {
  orderId: string
  status: RecordStatus
  requestHash: string | undefined
  createdAt: string
  updatedAt: string
  attempts: number
  lastError: string | undefined
  messageId: string | undefined
  leaseOwner: string | undefined
  // Epoch milliseconds.
  leaseExpiresAt: number | undefined
  // Epoch seconds (the table's TTL attribute).
  expiresAt: number
}

export type Item = Record<string, AttributeValue>

// The same request always hashes the same: fields in a fixed order, whatever order the client
// sent them in, and nothing the schema strips.
export function requestHash(request: OrderRequest): string {
  const canonical = [
    request.order_id,
    request.customer_id,
    request.items.map((item) => [item.product_id, item.quantity, item.price]),
  ]
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex')
}

export function expiresAt(nowMs: number): number {
  return Math.floor(nowMs / 1000) + RETENTION_SECONDS
}

export function toRecord(item: Item): OrderRecord {
  const status = text(item.status)
  return {
    orderId: text(item.order_id) ?? '',
    status: recordStatuses.find((s) => s === status) ?? 'pending',
    requestHash: text(item.request_hash),
    createdAt: text(item.created_at) ?? '',
    updatedAt: text(item.updated_at) ?? '',
    attempts: num(item.attempts) ?? 0,
    lastError: text(item.last_error),
    messageId: text(item.message_id),
    leaseOwner: text(item.lease_owner),
    leaseExpiresAt: num(item.lease_expires_at),
    expiresAt: num(item.expires_at) ?? 0,
  }
}

const text = (value: AttributeValue | undefined) => value?.S
const num = (value: AttributeValue | undefined) =>
  value?.N === undefined ? undefined : Number(value.N)
export const S = (value: string): AttributeValue => ({ S: value })
export const N = (value: number): AttributeValue => ({ N: String(value) })
