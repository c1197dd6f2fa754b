import { randomUUID } from 'node:crypto'
import { newOrder, type Order } from '@orders/order/order'
import { recordingPayment } from '@orders/order/testing'
import { useTables } from '@orders/stack/tables'
import { createDynamoClient } from '@orders/store/client'
import { createOrderStore, type OrderStore } from '@orders/store/store'
import { describe, expect, it } from 'vitest'
import type { Delivery } from '../../src/core/delivery.ts'
import { createMetrics } from '../../src/core/metrics.ts'
import { createOrderCore } from '../../src/core/order-core.ts'
import { capturingLogger } from '../log-lines.ts'
import { sqsBody } from './deliveries.ts'

const tables = useTables()
const anOrder = (id = randomUUID()) =>
  newOrder({ order_id: id, customer_id: 1, items: [{ product_id: 'A', quantity: 1, price: 1 }] })

const delivery = (message: unknown, receiveCount = 2, id = 'm-1'): Delivery => ({
  source: 'sqs',
  body: sqsBody(message),
  messageId: id,
  receiveCount,
})

type CoreOptions = {
  fails?: (order: Order) => boolean
  store?: OrderStore
  owner?: string
  leaseMs?: number
}

async function coreWith(options: CoreOptions = {}) {
  const { logger, logs } = capturingLogger()
  const payment = recordingPayment(options.fails)
  const metrics = createMetrics()
  const store = options.store ?? (await tables.newStore({ hooks: metrics.store })).store
  const handle = createOrderCore({
    processOrder: payment.processOrder,
    store,
    owner: options.owner ?? randomUUID(),
    leaseMs: options.leaseMs ?? 25_000,
    maxAttempts: 5,
    logger,
    metrics: metrics.orders,
  })
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const { values = [] } = (await metrics.registry.getSingleMetric(name)?.get()) ?? {}
    const found = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    return found?.value ?? 0
  }
  // Table requests made, by operation, whatever their outcome.
  const requests = async (operation: string) => {
    const metric = metrics.registry.getSingleMetric('orders_store_request_duration_seconds')
    const { values = [] } = (await metric?.get()) ?? {}
    return values
      .filter((v) => 'metricName' in v && String(v.metricName).endsWith('_count'))
      .filter((v) => v.labels.operation === operation)
      .reduce((sum, v) => sum + v.value, 0)
  }
  return { handle, logs, calls: payment.calls, metrics, store, value, requests }
}

// A core whose payments wait until release(): the order stays processing under its lease.
function gatedCore(store: OrderStore, owner: string, leaseMs = 25_000, metrics = createMetrics()) {
  let release = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const handle = createOrderCore({
    processOrder: async (order) => {
      await gate
      return { ...order, status: 'completed' }
    },
    store,
    owner,
    leaseMs,
    maxAttempts: 5,
    logger: capturingLogger().logger,
    metrics: metrics.orders,
  })
  return { handle, release: () => release() }
}

describe('order core: the common path', () => {
  it('when the order is claimed and paid, then it is completed in the table and the outcome says so', async () => {
    const { handle, calls, store, value } = await coreWith()
    const order = anOrder()
    await expect(handle(delivery(order))).resolves.toEqual({
      kind: 'completed',
      orderId: order.order_id,
      durationMs: expect.any(Number),
    })
    expect(calls).toEqual([order.order_id])
    expect(await store.get(order.order_id)).toMatchObject({
      status: 'completed',
      attempts: 1,
      messageId: 'sns-1',
      leaseOwner: undefined,
    })
    expect(await value('orders_processed_total')).toBe(1)
    expect(await value('orders_terminal_total', { status: 'completed' })).toBe(1)
  })

  it('when an order completes, then exactly two table requests were made, both writes', async () => {
    const { handle, requests } = await coreWith()
    await handle(delivery(anOrder()))
    const made = ['claim', 'complete', 'get', 'release', 'fail', 'record'].map(requests)
    expect(await Promise.all(made)).toEqual([1, 1, 0, 0, 0, 0])
  })

  it('when an order completes, then its time since created_at is observed end to end', async () => {
    const { handle, metrics } = await coreWith()
    const createdAt = new Date(Date.now() - 90_000).toISOString()
    await handle(delivery({ ...anOrder(), created_at: createdAt }))
    const { values } = await metrics.endToEndSeconds.get()
    const count = values.find((v) => v.metricName === 'order_end_to_end_seconds_count')
    const sum = values.find((v) => v.metricName === 'order_end_to_end_seconds_sum')
    const under60 = values.find((v) => v.labels.le === 60)
    const under120 = values.find((v) => v.labels.le === 120)
    expect([count?.value, under60?.value, under120?.value]).toEqual([1, 0, 1])
    expect(sum?.value).toBeGreaterThanOrEqual(90)
  })

  it('when an order completes, then one line logs its id, message id, duration and status', async () => {
    const { handle, logs } = await coreWith()
    const order = anOrder()
    await handle(delivery(order, 2, 'm-3'))
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'order completed',
        orderId: order.order_id,
        messageId: 'm-3',
        receiveCount: 2,
        durationMs: expect.any(Number),
        status: 'completed',
      }),
    ])
  })

  it('when the payment step gets the order, then it is processing, and it comes back completed', async () => {
    const seen: string[] = []
    const { store } = await tables.newStore()
    const handle = createOrderCore({
      processOrder: async (paying) => {
        seen.push(paying.status)
        return { ...paying, status: 'completed' }
      },
      store,
      owner: 'o-1',
      leaseMs: 25_000,
      maxAttempts: 5,
      logger: capturingLogger().logger,
      metrics: createMetrics().orders,
    })
    await expect(handle(delivery(anOrder()))).resolves.toMatchObject({ kind: 'completed' })
    expect(seen).toEqual(['processing'])
  })
})

describe('order core: failures', () => {
  it('when the payment fails, then the order is pending again with the error, and the outcome is a retry', async () => {
    const { handle, logs, store, value } = await coreWith({ fails: () => true })
    const order = anOrder()
    const outcome = await handle(delivery(order))
    expect(outcome).toMatchObject({ kind: 'retry', orderId: order.order_id })
    expect(outcome.kind === 'retry' && outcome.error).toEqual(
      new Error(`payment declined for ${order.order_id}`),
    )
    expect(await store.get(order.order_id)).toMatchObject({
      status: 'pending',
      lastError: 'payment_failed',
      attempts: 1,
    })
    expect(logs.at(-1)).toMatchObject({ msg: 'order failed; will be retried', receiveCount: 2 })
    expect(await value('orders_failed_total')).toBe(1)
  })

  it("when the last receive's payment fails, then the order ends failed and its message goes to the DLQ", async () => {
    const { handle, store, logs, value } = await coreWith({ fails: () => true })
    const order = anOrder()
    await expect(handle(delivery(order, 5))).resolves.toMatchObject({
      kind: 'failed',
      orderId: order.order_id,
    })
    expect(await store.get(order.order_id)).toMatchObject({
      status: 'failed',
      lastError: 'payment_failed',
    })
    expect(logs.at(-1)).toMatchObject({ msg: 'order failed; no attempts left', attempts: 1 })
    expect(await value('orders_terminal_total', { status: 'failed' })).toBe(1)
  })

  it('when the record has counted the last attempt, then it ends failed whatever the receive count', async () => {
    const { handle, store } = await coreWith({ fails: () => true })
    const order = anOrder()
    for (let attempt = 1; attempt < 5; attempt++) {
      await expect(handle(delivery(order, 1))).resolves.toMatchObject({ kind: 'retry' })
    }
    await expect(handle(delivery(order, 1))).resolves.toMatchObject({ kind: 'failed' })
    expect(await store.get(order.order_id)).toMatchObject({ status: 'failed', attempts: 5 })
  })

  it('when the body is poison, then the outcome is poison with its reason, unpaid and logged', async () => {
    const { handle, logs, calls, value } = await coreWith()
    await expect(handle(delivery('{"order_id":'))).resolves.toEqual({
      kind: 'poison',
      reason: 'SNS message is not JSON',
    })
    expect(calls).toEqual([])
    expect(logs.at(-1)).toMatchObject({
      msg: 'poison message',
      messageId: 'm-1',
      receiveCount: 2,
      reason: 'SNS message is not JSON',
    })
    expect(await value('orders_poison_total')).toBe(1)
  })

  it('when poison names a readable order_id, then that order ends failed, unpaid', async () => {
    const { handle, calls, store, value } = await coreWith()
    const orderId = randomUUID()
    await store.record({ orderId, requestHash: 'h' })
    await expect(handle(delivery({ order_id: orderId, items: 'none' }))).resolves.toMatchObject({
      kind: 'poison',
    })
    expect(calls).toEqual([])
    expect(await store.get(orderId)).toMatchObject({ status: 'failed', lastError: 'invalid_order' })
    expect(await value('orders_terminal_total', { status: 'failed' })).toBe(1)
  })

  it('when poison names an order already completed, then it stays completed and no end is counted', async () => {
    const { handle, store, value } = await coreWith()
    const order = anOrder()
    await handle(delivery(order))
    await expect(
      handle(delivery({ order_id: order.order_id, items: 'none' })),
    ).resolves.toMatchObject({ kind: 'poison' })
    expect(await store.get(order.order_id)).toMatchObject({ status: 'completed' })
    expect(await value('orders_terminal_total', { status: 'failed' })).toBe(0)
    expect(await value('orders_terminal_total', { status: 'completed' })).toBe(1)
  })

  it('when the table does not answer, then nothing is paid and the delivery is left for later', async () => {
    const client = createDynamoClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    const store = createOrderStore({ client, tableName: 'orders-unreachable', timeoutMs: 500 })
    const { handle, calls } = await coreWith({ store })
    try {
      await expect(handle(delivery(anOrder()))).resolves.toMatchObject({
        kind: 'unavailable',
        error: expect.objectContaining({ name: 'StoreUnavailableError', operation: 'claim' }),
      })
      expect(calls).toEqual([])
    } finally {
      client.destroy()
    }
  })
})

describe('order core: one order, several deliveries', () => {
  it('when the same order is delivered again, then it is a duplicate and is not paid twice', async () => {
    const { handle, calls, logs, value } = await coreWith()
    const order = anOrder()
    await handle(delivery(order, 1, 'm-1'))
    await expect(handle(delivery(order, 1, 'm-2'))).resolves.toEqual({
      kind: 'duplicate',
      orderId: order.order_id,
      status: 'completed',
    })
    expect(calls).toEqual([order.order_id])
    expect(logs.at(-1)).toMatchObject({
      msg: 'duplicate delivery; payment not repeated',
      orderId: order.order_id,
      messageId: 'm-2',
    })
    expect(await value('orders_duplicate_total')).toBe(1)
    expect(
      await value('orders_store_condition_failures_total', { reason: 'already_completed' }),
    ).toBe(1)
  })

  it('when another process holds the order, then this one pays nothing and leaves it until the lease ends', async () => {
    const first = await coreWith()
    const holder = gatedCore(first.store, 'holder')
    const order = anOrder()
    const holding = holder.handle(delivery(order))
    await expect
      .poll(async () => (await first.store.get(order.order_id))?.status)
      .toBe('processing')

    const held = await first.handle(delivery(order))

    expect(held).toMatchObject({ kind: 'held', orderId: order.order_id })
    expect(held.kind === 'held' && held.retryAfterMs).toBeGreaterThan(20_000)
    expect(first.calls).toEqual([])
    expect(await first.value('orders_store_condition_failures_total', { reason: 'held' })).toBe(1)
    holder.release()
    await expect(holding).resolves.toMatchObject({ kind: 'completed' })
  })

  it('when the lease ends mid-payment and another process completes the order, then the first finds it lost', async () => {
    const { store } = await tables.newStore()
    const slow = gatedCore(store, 'slow', 50)
    const other = await coreWith({ store, owner: 'other' })
    const order = anOrder()
    const paying = slow.handle(delivery(order))
    await expect
      .poll(async () => (await other.handle(delivery(order))).kind, { timeout: 5000 })
      .toBe('completed')

    slow.release()

    await expect(paying).resolves.toMatchObject({ kind: 'held', orderId: order.order_id })
    expect(other.calls).toEqual([order.order_id])
    expect(await store.get(order.order_id)).toMatchObject({ status: 'completed', attempts: 2 })
  })

  it('when a second delivery arrives while this process runs the order, then it waits and is a duplicate, unclaimed', async () => {
    const metrics = createMetrics()
    const { store } = await tables.newStore({ hooks: metrics.store })
    const { handle, release } = gatedCore(store, 'one-process', 25_000, metrics)
    const order = anOrder()
    const first = handle(delivery(order, 1, 'm-1'))
    await expect.poll(async () => (await store.get(order.order_id))?.status).toBe('processing')

    const twin = handle(delivery(order, 1, 'm-2'))
    release()

    await expect(first).resolves.toMatchObject({ kind: 'completed' })
    await expect(twin).resolves.toEqual({
      kind: 'duplicate',
      orderId: order.order_id,
      status: 'completed',
    })
    const claims = await metrics.registry
      .getSingleMetric('orders_store_request_duration_seconds')
      ?.get()
    const claimCount = claims?.values
      .filter((v) => 'metricName' in v && String(v.metricName).endsWith('_count'))
      .filter((v) => v.labels.operation === 'claim')
      .reduce((sum, v) => sum + v.value, 0)
    expect(claimCount).toBe(1)
  })

  it("when this process's own claim timed out once written, then its next delivery takes the order back", async () => {
    const { store } = await tables.newStore()
    const { handle, calls } = await coreWith({ store, owner: 'me' })
    const order = anOrder()
    // What a claim answered too late leaves: the order processing under this owner's lease.
    await store.claim({ orderId: order.order_id, owner: 'me', leaseMs: 25_000 })

    await expect(handle(delivery(order))).resolves.toMatchObject({ kind: 'completed' })
    expect(calls).toEqual([order.order_id])
    expect(await store.get(order.order_id)).toMatchObject({ status: 'completed', attempts: 2 })
  })
})
