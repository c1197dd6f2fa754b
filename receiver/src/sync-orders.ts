import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { newOrder, type Order, type OrderRequest } from '@orders/order/order'
import type { ProcessOrder } from '@orders/order/payment'
import { requestHash } from '@orders/store/records'
import type { RequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import { createSlots } from './admission.ts'
import { HttpError, overloaded } from './errors.ts'
import type { ReceiverMetrics } from './metrics.ts'
import { acceptOrder, orderConflict, orderInProgress, statusUrl } from './order-request.ts'
import type { ReceiverRecords } from './records.ts'
import { secondsUntil } from './retries.ts'

export type SyncDeps = {
  records: ReceiverRecords
  processOrder: ProcessOrder
  logger: Logger
  metrics: ReceiverMetrics
  syncConcurrency: number
  syncQueueLimit: number
  // The receiver's hold on an order it pays: longer than a payment.
  syncLeaseMs: number
}

type Settled =
  | { kind: 'paid'; order: Order }
  // Completed before: its answer again, not paid again.
  | { kind: 'replayed'; order: Order }
  | { kind: 'conflict' }
  | { kind: 'failed'; orderId: string }
  | { kind: 'in_progress'; orderId: string; retryAfterSeconds: number }

// POST /orders/sync: recorded, claimed under the receiver's own lease, paid and completed, as the
// processor does it; the claim is what keeps a retry, or the processor, from paying it twice.
export function syncOrders(deps: SyncDeps): RequestHandler {
  const { records, processOrder, logger, metrics, syncLeaseMs } = deps
  const payments = createSlots({
    concurrency: deps.syncConcurrency,
    queueLimit: deps.syncQueueLimit,
    metrics,
  })
  const reason = (name: string) => metrics.alreadyRecorded.inc({ mode: 'sync', reason: name })

  return async (req, res) => {
    const request = acceptOrder(req.body)
    const started = performance.now()
    // Recorded inside the slot: an order shed or abandoned while waiting leaves no record.
    const settled = await payments(() => settle(request), clientLeft(res))
    if (settled.outcome === 'overloaded') throw overloaded()
    const fields = {
      orderId: request.order_id,
      durationMs: Math.round(performance.now() - started),
    }
    if (settled.outcome === 'left') {
      metrics.syncAbandoned.inc({ stage: 'waiting' })
      logger.info(fields, 'client left before its payment started; not paid')
      return
    }
    const result = settled.value
    if (result.kind === 'conflict') throw orderConflict()
    if (result.kind === 'in_progress')
      throw orderInProgress(result.orderId, result.retryAfterSeconds)
    if (result.kind === 'failed') throw orderFailed(result.orderId)
    if (result.kind === 'replayed') {
      res.json(result.order)
      return
    }
    // A payment that started is finished and recorded, whether or not its client is still there.
    metrics.accepted.inc({ mode: 'sync' })
    logger.info({ ...fields, clientLeft: settled.clientLeft }, 'order completed')
    if (settled.clientLeft) metrics.syncAbandoned.inc({ stage: 'paying' })
    else res.json(result.order)
  }

  async function settle(request: OrderRequest): Promise<Settled> {
    const orderId = request.order_id
    const recorded = await records.record({ orderId, requestHash: requestHash(request) })
    if (recorded.kind === 'conflict') {
      reason('conflict')
      return { kind: 'conflict' }
    }
    const order = newOrder(request, new Date(recorded.record.createdAt))
    const completed = (): Settled => {
      reason('retry_same_content')
      return { kind: 'replayed', order: { ...order, status: 'completed' } }
    }
    if (recorded.record.status === 'completed') return completed()
    if (recorded.record.status === 'failed') return { kind: 'failed', orderId }
    // A new order or one nobody holds (its async publish pending, or a payer that died).
    const owner = `receiver:${randomUUID()}`
    const claim = await records.claim({ orderId, owner, leaseMs: syncLeaseMs })
    if (claim.kind === 'completed') return completed()
    if (claim.kind === 'failed') return { kind: 'failed', orderId }
    if (claim.kind === 'held') {
      reason('in_progress')
      const until = claim.record.leaseExpiresAt ?? Date.now()
      return { kind: 'in_progress', orderId, retryAfterSeconds: secondsUntil(until, Date.now()) }
    }
    if (recorded.kind === 'retry') reason('retry_resumed')
    const paid = await processOrder(order)
    // Paid is paid: the answer says so even if the table cannot be told. The record stays
    // processing until the lease ends; the payment provider's idempotency key (order_id) is what
    // keeps a later claim from charging again.
    const done = await records.complete({ orderId, owner }).catch((err: unknown) => {
      logger.error({ err, orderId }, 'paid, but the completed record was not written')
    })
    if (done?.kind === 'lease_lost') logger.warn({ orderId }, 'paid after the lease ended')
    return { kind: 'paid', order: paid }
  }
}

function orderFailed(orderId: string): HttpError {
  return new HttpError(
    409,
    'order_failed',
    'this order was accepted before and has failed; see its status URL',
    { status_url: statusUrl(orderId) },
    { Location: statusUrl(orderId) },
  )
}

// Aborts when the connection closes before the answer was written: the client gave up or died.
function clientLeft(res: Response): AbortSignal {
  const left = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) left.abort()
  })
  return left.signal
}
