import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { newOrder, type Order } from '@orders/order/order'
import type { ProcessOrder } from '@orders/order/payment'
import { useTables } from '@orders/stack/tables'
import { describe, expect, it } from 'vitest'
import type { Delivery } from '../../src/core/delivery.ts'
import { createMetrics } from '../../src/core/metrics.ts'
import { createOrderCore } from '../../src/core/order-core.ts'
import { capturingLogger } from '../log-lines.ts'
import { coreDeps } from './core-deps.ts'
import { sqsBody } from './deliveries.ts'

// Each of the worker's order metrics by the name its dashboards and alerts read, and the value
// the outcome it counts leaves behind; and the fields of each line an operator searches for.
const tables = useTables()
const anOrder = (createdAt = new Date()): Order =>
  newOrder(
    { order_id: randomUUID(), customer_id: 4, items: [{ product_id: 'C', quantity: 1, price: 2 }] },
    createdAt,
  )

const delivery = (message: unknown, receiveCount = 1): Extract<Delivery, { source: 'sqs' }> => ({
  source: 'sqs',
  body: sqsBody(message),
  messageId: randomUUID(),
  receiveCount,
})

// A payment the test lets finish (or fail) when it chooses.
function heldPayment() {
  const held: { resolve: () => void; reject: (err: Error) => void }[] = []
  const processOrder: ProcessOrder = (order) =>
    new Promise((resolve, reject) => {
      held.push({ resolve: () => resolve({ ...order, status: 'completed' }), reject })
    })
  return { processOrder, held }
}

async function coreWith(processOrder: ProcessOrder) {
  const metrics = createMetrics()
  const { logger, logs } = capturingLogger()
  const { store } = await tables.newStore({ hooks: metrics.store })
  const core = createOrderCore(coreDeps({ processOrder, store, logger, metrics: metrics.orders }))
  // Every order counter and gauge, by the name it is scraped under.
  const scrape = async () => {
    const names = [
      'orders_processed_total',
      'orders_failed_total',
      'orders_poison_total',
      'orders_duplicate_total',
      'orders_in_flight',
    ]
    const found: Record<string, number | undefined> = {}
    for (const name of names) {
      found[name] = (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value
    }
    return found
  }
  const histogram = async (name: string) => {
    const metric = await metrics.registry.getSingleMetric(name)?.get()
    const values = (metric?.values ?? []) as { metricName?: string; value: number }[]
    const named = (suffix: string) => values.find((v) => v.metricName === `${name}${suffix}`)
    return { count: named('_count')?.value, sum: named('_sum')?.value }
  }
  return { core, scrape, histogram, logs }
}

const none = {
  orders_processed_total: 0,
  orders_failed_total: 0,
  orders_poison_total: 0,
  orders_duplicate_total: 0,
  orders_in_flight: 0,
}

describe('order metrics by outcome', () => {
  it('when an order is being paid, then orders_in_flight is 1, and 0 with processed 1 once it completes', async () => {
    const payment = heldPayment()
    const { core, scrape, histogram } = await coreWith(payment.processOrder)
    const before = performance.now()
    const outcome = core(delivery(anOrder(new Date(Date.now() - 42_000))))
    await expect.poll(() => payment.held.length).toBe(1)
    expect(await scrape()).toEqual({ ...none, orders_in_flight: 1 })

    payment.held[0]?.resolve()
    const done = await outcome
    const elapsed = performance.now() - before
    expect(await scrape()).toEqual({ ...none, orders_processed_total: 1 })
    // The reported duration is the payment's: never more than the test saw the call take.
    expect(done.kind === 'completed' && done.durationMs).toBeLessThanOrEqual(Math.ceil(elapsed))
    const processing = await histogram('order_processing_duration_seconds')
    expect(processing).toEqual({
      count: 1,
      sum: done.kind === 'completed' ? done.durationMs / 1000 : Number.NaN,
    })
    const endToEnd = await histogram('order_end_to_end_seconds')
    expect(endToEnd.count).toBe(1)
    expect(endToEnd.sum).toBeGreaterThanOrEqual(42)
    expect(endToEnd.sum).toBeLessThan(60)
  })

  it('when the payment fails, then orders_failed_total 1, nothing in flight, and the line has the error', async () => {
    const payment = heldPayment()
    const { core, scrape, histogram, logs } = await coreWith(payment.processOrder)
    const order = anOrder()
    const arriving = delivery(order, 3)
    const outcome = core(arriving)
    await expect.poll(() => payment.held.length).toBe(1)
    payment.held[0]?.reject(new Error('card declined'))

    expect(await outcome).toMatchObject({ kind: 'retry', orderId: order.order_id })
    expect(await scrape()).toEqual({ ...none, orders_failed_total: 1 })
    expect(await histogram('order_processing_duration_seconds')).toEqual({ count: 0, sum: 0 })
    expect(logs).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'order failed; will be retried',
        orderId: order.order_id,
        messageId: arriving.messageId,
        receiveCount: 3,
        err: expect.objectContaining({ message: 'card declined' }),
      }),
    ])
  })

  it('when a twin arrives while the first still pays, then both are in flight, and the twin counts a duplicate', async () => {
    const payment = heldPayment()
    const { core, scrape, logs } = await coreWith(payment.processOrder)
    const order = anOrder()
    const first = core(delivery(order))
    const twinDelivery = delivery(order, 2)
    const twin = core(twinDelivery)
    await expect.poll(() => payment.held.length).toBe(1)
    expect(await scrape()).toEqual({ ...none, orders_in_flight: 2 })

    payment.held[0]?.resolve()
    expect((await Promise.all([first, twin])).map((outcome) => outcome.kind)).toEqual([
      'completed',
      'duplicate',
    ])
    expect(await scrape()).toEqual({
      ...none,
      orders_processed_total: 1,
      orders_duplicate_total: 1,
    })
    expect(logs.find((l) => l.msg === 'duplicate delivery; payment not repeated')).toMatchObject({
      level: 30,
      orderId: order.order_id,
      messageId: twinDelivery.messageId,
      receiveCount: 2,
    })
  })

  it('when the message is poison, then orders_poison_total 1 and nothing was ever in flight', async () => {
    const payment = heldPayment()
    const { core, scrape, logs } = await coreWith(payment.processOrder)
    const poison = delivery({ order_id: randomUUID() }, 4)
    expect(await core(poison)).toMatchObject({ kind: 'poison' })
    expect(await scrape()).toEqual({ ...none, orders_poison_total: 1 })
    expect(payment.held).toEqual([])
    expect(logs).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'poison message',
        messageId: poison.messageId,
        receiveCount: 4,
        reason: expect.stringContaining('not a valid order'),
      }),
    ])
    // Every problem, each with its field, one after the other.
    const reason = String(logs[0]?.reason)
    expect(reason.split('; ').map((problem) => problem.split(':')[0])).toEqual([
      'not a valid order (customer_id',
      'items',
      'status',
      'created_at',
    ])
  })

  it('when an order was created in the future (clock skew), then its end-to-end time is 0, not negative', async () => {
    const { core, histogram } = await coreWith(async (order) => ({ ...order, status: 'completed' }))
    await core(delivery(anOrder(new Date(Date.now() + 60_000))))
    expect(await histogram('order_end_to_end_seconds')).toEqual({ count: 1, sum: 0 })
  })

  it('when scraped, then the processing histogram has the buckets the dashboards read', async () => {
    const { histogram, core } = await coreWith(async (order) => ({ ...order, status: 'completed' }))
    await core(delivery(anOrder()))
    expect(await histogram('order_processing_duration_seconds')).toMatchObject({ count: 1 })
    const metrics = createMetrics()
    const { values } = await metrics.processingSeconds.get()
    expect(values.filter((v) => v.metricName?.endsWith('_bucket')).map((v) => v.labels.le)).toEqual(
      [0.01, 0.05, 0.1, 0.5, 1, 2, 3, 4, 5, 10, 30, '+Inf'],
    )
  })
})
