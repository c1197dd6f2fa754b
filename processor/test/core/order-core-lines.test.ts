import { randomUUID } from 'node:crypto'
import type { ProcessOrder } from '@orders/order/payment'
import { anOrder } from '@orders/order/testing'
import { useTables } from '@orders/stack/tables'
import { type OrderStore, StoreUnavailableError } from '@orders/store/store'
import { describe, expect, it } from 'vitest'
import type { Delivery } from '../../src/core/delivery.ts'
import { createMetrics } from '../../src/core/metrics.ts'
import { createOrderCore } from '../../src/core/order-core.ts'
import { capturingLogger } from '../log-lines.ts'
import { sqsBody } from './deliveries.ts'

// The lines of the deliveries an operator asks about when an order is slow or paid twice: one
// left to another processor, one whose lease was lost, one whose completion was not recorded, one
// that met the table down. Each names its order and its message.
const tables = useTables()

const delivery = (message: unknown): Extract<Delivery, { source: 'sqs' }> => ({
  source: 'sqs',
  body: sqsBody(message),
  messageId: randomUUID(),
  receiveCount: 3,
})

type Setup = {
  store: OrderCoreStore
  owner?: string
  leaseMs?: number
  processOrder?: ProcessOrder
}
type OrderCoreStore = Pick<OrderStore, 'claim' | 'complete' | 'release' | 'fail'>

function coreOn({ store, owner = randomUUID(), leaseMs = 25_000, processOrder }: Setup) {
  const { logger, logs } = capturingLogger('debug')
  const paid: string[] = []
  const handle = createOrderCore({
    processOrder:
      processOrder ??
      (async (order) => {
        paid.push(order.order_id)
        return { ...order, status: 'completed' }
      }),
    store,
    owner,
    leaseMs,
    maxAttempts: 5,
    logger,
    metrics: createMetrics().orders,
  })
  const line = (msg: string) => logs.find((l) => l.msg === msg)
  return { handle, logs, line, paid }
}

const unavailable = (operation: 'claim' | 'complete') =>
  new StoreUnavailableError(operation, true, { cause: new Error('timed out') })

describe('order core: the lines of a delivery that did not complete here', () => {
  it('when another processor holds the order, then "left for later" says how long, as the outcome does', async () => {
    const { store } = await tables.newStore()
    const order = anOrder()
    await store.claim({ orderId: order.order_id, owner: 'the-other', leaseMs: 30_000 })
    const { handle, line } = coreOn({ store })
    const arriving = delivery(order)

    const outcome = await handle(arriving)

    expect(outcome).toMatchObject({ kind: 'held', retryAfterMs: expect.any(Number) })
    const retryAfterMs = outcome.kind === 'held' ? outcome.retryAfterMs : -1
    expect(retryAfterMs).toBeGreaterThan(25_000)
    expect(retryAfterMs).toBeLessThanOrEqual(30_000)
    expect(line('order held by another processor; left for later')).toEqual(
      expect.objectContaining({
        level: 30,
        orderId: order.order_id,
        messageId: arriving.messageId,
        receiveCount: 3,
        retryAfterMs,
      }),
    )
  })

  it('when the lease was lost before the completion, then a warning names the order, and it comes back after a lease', async () => {
    const { store } = await tables.newStore()
    const order = anOrder()
    const completeLost: OrderCoreStore = {
      ...store,
      complete: async () => ({ kind: 'lease_lost' }),
    }
    const { handle, line, paid } = coreOn({ store: completeLost, leaseMs: 4321 })
    const arriving = delivery(order)

    expect(await handle(arriving)).toEqual({
      kind: 'held',
      orderId: order.order_id,
      retryAfterMs: 4321,
    })
    expect(paid).toEqual([order.order_id])
    expect(line('order lease lost to another processor')).toMatchObject({
      level: 40,
      orderId: order.order_id,
      messageId: arriving.messageId,
      receiveCount: 3,
    })
    expect(line('order completed')).toBeUndefined()
  })

  it('when a failed payment finds its lease lost, then the same warning, and no failure is counted terminal', async () => {
    const { store } = await tables.newStore()
    const order = anOrder()
    const releaseLost: OrderCoreStore = {
      ...store,
      release: async () => ({ kind: 'lease_lost' }),
    }
    const { handle, line } = coreOn({
      store: releaseLost,
      leaseMs: 1234,
      processOrder: () => Promise.reject(new Error('card declined')),
    })

    expect(await handle(delivery(order))).toEqual({
      kind: 'held',
      orderId: order.order_id,
      retryAfterMs: 1234,
    })
    expect(line('order lease lost to another processor')).toMatchObject({ level: 40 })
    expect(line('order failed; will be retried')).toBeUndefined()
  })

  it('when the completion cannot be written, then the order was paid, a warning says so, and the delivery is left', async () => {
    const { store } = await tables.newStore()
    const order = anOrder()
    const completeDown: OrderCoreStore = {
      ...store,
      complete: () => Promise.reject(unavailable('complete')),
    }
    const { handle, line, paid } = coreOn({ store: completeDown })
    const arriving = delivery(order)

    expect(await handle(arriving)).toMatchObject({ kind: 'unavailable', orderId: order.order_id })
    expect(paid).toEqual([order.order_id])
    expect(line('order paid; its completion not recorded')).toMatchObject({
      level: 40,
      orderId: order.order_id,
      messageId: arriving.messageId,
      err: expect.objectContaining({ type: 'StoreUnavailableError' }),
    })
    expect(line('orders table unavailable; delivery left')).toMatchObject({
      level: 20,
      orderId: order.order_id,
      messageId: arriving.messageId,
    })
  })

  it('when the store fails with anything but unavailability, then the core throws it: a defect, not an outcome', async () => {
    const { store } = await tables.newStore()
    const defect = new TypeError('a bug in the store')
    const broken: OrderCoreStore = { ...store, claim: () => Promise.reject(defect) }
    const { handle } = coreOn({ store: broken })

    await expect(handle(delivery(anOrder()))).rejects.toBe(defect)
  })

  it('when the claim meets the table down, then a debug line names the order and nothing is paid', async () => {
    const { store } = await tables.newStore()
    const down: OrderCoreStore = { ...store, claim: () => Promise.reject(unavailable('claim')) }
    const { handle, line, paid } = coreOn({ store: down })
    const order = anOrder()

    expect(await handle(delivery(order))).toMatchObject({ kind: 'unavailable' })
    expect(paid).toEqual([])
    expect(line('orders table unavailable; delivery left')).toMatchObject({
      level: 20,
      orderId: order.order_id,
      err: expect.objectContaining({ type: 'StoreUnavailableError' }),
    })
  })
})
