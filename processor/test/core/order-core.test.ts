import { newOrder } from '@orders/order/order'
import { recordingPayment } from '@orders/order/testing'
import { describe, expect, it } from 'vitest'
import type { Delivery } from '../../src/core/delivery.ts'
import { createIdempotencyRecord } from '../../src/core/idempotency.ts'
import { createMetrics } from '../../src/core/metrics.ts'
import { createOrderCore } from '../../src/core/order-core.ts'
import { capturingLogger } from '../log-lines.ts'
import { sqsBody } from './deliveries.ts'

const order = newOrder({
  order_id: 'h-1',
  customer_id: 1,
  items: [{ product_id: 'A', quantity: 1, price: 1 }],
})

const delivery = (message: unknown, id = 'm-1'): Delivery => ({
  source: 'sqs',
  body: sqsBody(message),
  messageId: id,
  receiveCount: 2,
})

function coreWith(fails = false) {
  const { logger, logs } = capturingLogger()
  const payment = recordingPayment(() => fails)
  const metrics = createMetrics()
  const handle = createOrderCore({
    processOrder: payment.processOrder,
    record: createIdempotencyRecord(),
    logger,
    metrics: metrics.orders,
  })
  return { handle, logs, calls: payment.calls, metrics }
}

describe('order core', () => {
  it('when the order completes, then the outcome is completed, which the worker deletes', async () => {
    const { handle, calls } = coreWith()
    await expect(handle(delivery(order))).resolves.toEqual({
      kind: 'completed',
      orderId: 'h-1',
      durationMs: expect.any(Number),
    })
    expect(calls).toEqual(['h-1'])
  })

  it('when an order completes, then its time since created_at is observed end to end', async () => {
    const { handle, metrics } = coreWith()
    const createdAt = new Date(Date.now() - 90_000).toISOString()
    await handle(delivery({ ...order, order_id: 'h-e2e', created_at: createdAt }))
    const { values } = await metrics.endToEndSeconds.get()
    const count = values.find((v) => v.metricName === 'order_end_to_end_seconds_count')
    const sum = values.find((v) => v.metricName === 'order_end_to_end_seconds_sum')
    const under60 = values.find((v) => v.labels.le === 60)
    const under120 = values.find((v) => v.labels.le === 120)
    expect([count?.value, under60?.value, under120?.value]).toEqual([1, 0, 1])
    expect(sum?.value).toBeGreaterThanOrEqual(90)
  })

  it('when the payment fails, then the outcome is a retry carrying the error', async () => {
    const { handle, logs, metrics } = coreWith(true)
    const outcome = await handle(delivery(order))
    expect(outcome).toMatchObject({ kind: 'retry', orderId: 'h-1' })
    expect(outcome.kind === 'retry' && outcome.error).toEqual(new Error('payment declined for h-1'))
    expect(logs.at(-1)).toMatchObject({ msg: 'order failed; will be retried', receiveCount: 2 })
    expect((await metrics.failed.get()).values[0]?.value).toBe(1)
  })

  it('when the body is poison, then the outcome is poison with its reason, unpaid and logged', async () => {
    const { handle, logs, calls, metrics } = coreWith()
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
    expect((await metrics.poison.get()).values[0]?.value).toBe(1)
  })

  it('when the same order is delivered again, then it is a duplicate and is not paid twice', async () => {
    const { handle, calls, logs, metrics } = coreWith()
    await handle(delivery(order, 'm-1'))
    await expect(handle(delivery(order, 'm-2'))).resolves.toEqual({
      kind: 'duplicate',
      orderId: 'h-1',
    })
    expect(calls).toEqual(['h-1'])
    expect(logs.at(-1)).toMatchObject({
      msg: 'duplicate delivery; payment not repeated',
      orderId: 'h-1',
      messageId: 'm-2',
    })
    expect((await metrics.duplicates.get()).values[0]?.value).toBe(1)
  })

  it('when an order completes, then one line logs its id, message id, duration and status', async () => {
    const { handle, logs } = coreWith()
    await handle(delivery(order, 'm-3'))
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'order completed',
        orderId: 'h-1',
        messageId: 'm-3',
        receiveCount: 2,
        durationMs: expect.any(Number),
        status: 'completed',
      }),
    ])
  })

  it('when the payment step gets the order, then it is processing, and it comes back completed', async () => {
    const seen: string[] = []
    const handle = createOrderCore({
      processOrder: async (paying) => {
        seen.push(paying.status)
        return { ...paying, status: 'completed' }
      },
      record: createIdempotencyRecord(),
      logger: capturingLogger().logger,
      metrics: createMetrics().orders,
    })
    expect(order.status).toBe('pending')
    await expect(handle(delivery(order))).resolves.toMatchObject({ kind: 'completed' })
    expect(seen).toEqual(['processing'])
  })
})
