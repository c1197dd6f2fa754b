import type { Order } from '@orders/order/order'
import { StoreUnavailableError } from '@orders/store/store'
import { payClaimed } from './claimed-order.ts'
import { type Delivery, deliveryFields, readDelivery } from './delivery.ts'
import type { OrderCoreDeps } from './order-core-deps.ts'
import type { OrderCore, Outcome } from './outcome.ts'

export type { OrderCoreDeps } from './order-core-deps.ts'
export type { OrderCore, Outcome } from './outcome.ts'

// The worker's unit is a message, the function's a record.
const poisonWords = { sqs: 'poison message', sns: 'poison record' } as const

// The order core of both runtimes: reads the delivery once, pays an order only while it holds the
// order's claim in the shared table (so at most once across processes, both runtimes alike),
// records the end, counts and logs what happened, and says so in the outcome. Failures of the
// payment and of the table are outcomes; it throws only on a defect.
export function createOrderCore(deps: OrderCoreDeps): OrderCore {
  const { store, metrics, logger } = deps
  // The orders this process is claiming or paying right now. A second delivery of one of them
  // waits for the first and is a duplicate if it completed, without asking the table. That no
  // other delivery here can be paying an order is also what lets a claim take back one whose
  // lease is this process's own (a claim of its that timed out once written).
  const running = new Map<string, Promise<Outcome>>()

  const handle: OrderCore = async (delivery) => {
    const fields = deliveryFields(delivery)
    const read = readDelivery(delivery)
    if (!read.ok) {
      metrics.poison()
      logger.error({ ...fields, reason: read.reason }, poisonWords[delivery.source])
      if (read.orderId === undefined) return { kind: 'poison', reason: read.reason }
      return failPoison(read.orderId, read.reason, fields)
    }
    const { order, snsMessageId } = read
    const orderId = order.order_id
    const twin = running.get(orderId)
    if (twin !== undefined) {
      const first = await inFlight(twin)
      if (first.kind === 'completed') return duplicate(orderId, 'completed', fields)
      if (first.kind === 'duplicate') return duplicate(orderId, first.status, fields)
      if (first.kind === 'failed') return duplicate(orderId, 'failed', fields)
      return handle(delivery)
    }
    // Removed before anyone waiting for it resumes.
    const outcome = inFlight(claimAndPay(delivery, order, snsMessageId, fields)).finally(() =>
      running.delete(orderId),
    )
    running.set(orderId, outcome)
    return outcome
  }
  return handle

  // An order's claim and payment, or a wait for them, counts as in flight.
  async function inFlight(work: Promise<Outcome>): Promise<Outcome> {
    metrics.started()
    try {
      return await work
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
    const { owner } = deps
    const orderId = order.order_id
    const leaseMs = (delivery.source === 'sns' && delivery.remainingMs) || deps.leaseMs
    let claim: Awaited<ReturnType<typeof store.claim>>
    try {
      claim = await store.claim({ orderId, owner, leaseMs, messageId })
    } catch (error) {
      return unavailable(error, orderId, fields)
    }
    if (claim.kind === 'completed' || claim.kind === 'failed') {
      return duplicate(orderId, claim.kind, fields)
    }
    if (claim.kind === 'held') {
      const retryAfterMs = Math.max(0, (claim.record.leaseExpiresAt ?? 0) - Date.now())
      logger.info(
        { orderId, ...fields, retryAfterMs },
        'order held by another processor; left for later',
      )
      return { kind: 'held', orderId, retryAfterMs }
    }

    const claimed = { delivery, order, attempts: claim.attempts, fields }
    return payClaimed(deps, claimed).catch((error: unknown) => unavailable(error, orderId, fields))
  }

  function duplicate(
    orderId: string,
    status: 'completed' | 'failed',
    fields: ReturnType<typeof deliveryFields>,
  ): Outcome {
    metrics.duplicate()
    logger.info({ orderId, ...fields, status }, 'duplicate delivery; payment not repeated')
    return { kind: 'duplicate', orderId, status }
  }

  // The table did not answer: the delivery comes back; the runtime logs the outage boundedly.
  function unavailable(
    error: unknown,
    orderId: string,
    fields: ReturnType<typeof deliveryFields>,
  ): Outcome {
    if (!(error instanceof StoreUnavailableError)) throw error
    logger.debug({ orderId, ...fields, err: error }, 'orders table unavailable; delivery left')
    return { kind: 'unavailable', orderId, error }
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
      return unavailable(error, orderId, fields)
    }
  }
}
