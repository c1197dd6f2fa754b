import { randomUUID } from 'node:crypto'
import { newOrder } from '@orders/order/order'
import { recordingPayment } from '@orders/order/testing'
import { useTables } from '@orders/stack/tables'
import { describe, expect, it } from 'vitest'
import { createEmfMetrics } from '../../src/lambda/emf-metrics.ts'
import {
  createSnsHandler,
  OrderHeldError,
  PoisonRecordError,
} from '../../src/lambda/sns-handler.ts'
import { snsEvent } from '../../testing/lambda-invoke.ts'
import { capturingLogger } from '../log-lines.ts'

const tables = useTables()

const order = (id: string) =>
  newOrder({ order_id: id, customer_id: 1, items: [{ product_id: 'A', quantity: 1, price: 1 }] })

// The handler as the entry builds it, on a table of the test's own, with the EMF lines it writes
// captured as objects.
async function handlerWith(fails: (orderId: string) => boolean = () => false) {
  const { logger, logs } = capturingLogger()
  const emf: Record<string, unknown>[] = []
  const metrics = createEmfMetrics({
    namespace: 'Orders',
    logger,
    write: (line) => emf.push(JSON.parse(line)),
  })
  const payment = recordingPayment((o) => fails(o.order_id))
  const { store } = await tables.newStore()
  const handle = createSnsHandler({
    processOrder: payment.processOrder,
    store,
    owner: randomUUID(),
    leaseMs: 25_000,
    logger,
    metrics,
    flush: metrics.flush,
  })
  return { handle, logs, calls: payment.calls, emf, store }
}

describe('SNS handler (the Lambda function)', () => {
  it('when a record holds an order, then it is paid and one line logs orderId, durationMs and status', async () => {
    const { handle, logs, calls } = await handlerWith()
    const event = snsEvent([JSON.stringify(order('l-1'))])
    await expect(handle(event, { awsRequestId: 'req-1' })).resolves.toBeUndefined()
    expect(calls).toEqual(['l-1'])
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'order completed',
        orderId: 'l-1',
        messageId: event.Records[0]?.Sns.MessageId,
        requestId: 'req-1',
        durationMs: expect.any(Number),
        status: 'completed',
      }),
    ])
  })

  it('when the event holds several records, then every one is handled', async () => {
    const { handle, calls } = await handlerWith()
    await handle(snsEvent(['l-2', 'l-3', 'l-4'].map((id) => JSON.stringify(order(id)))))
    expect(calls.sort()).toEqual(['l-2', 'l-3', 'l-4'])
  })

  it('when a record is poison, then it is logged with its reason and the invocation fails as poison', async () => {
    const { handle, logs, calls } = await handlerWith()
    const event = snsEvent(['{"order_id":'])
    await expect(handle(event)).rejects.toBeInstanceOf(PoisonRecordError)
    expect(calls).toEqual([])
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'poison record',
        messageId: event.Records[0]?.Sns.MessageId,
        reason: 'SNS message is not JSON',
      }),
    ])
  })

  it('when poison comes with a good order, then the order is still paid and the invocation fails', async () => {
    const { handle, calls } = await handlerWith()
    const event = snsEvent([JSON.stringify({ order_id: 'x' }), JSON.stringify(order('l-5'))])
    await expect(handle(event)).rejects.toThrow(/not a valid order/)
    expect(calls).toEqual(['l-5'])
  })

  it('when the payment fails, then that error fails the invocation so Lambda retries it', async () => {
    const { handle, logs } = await handlerWith((id) => id === 'l-6')
    const event = snsEvent(['{"order_id":', JSON.stringify(order('l-6'))])
    const failure = handle(event)
    await expect(failure).rejects.toThrow('payment declined')
    await expect(failure).rejects.not.toBeInstanceOf(PoisonRecordError)
    expect(logs.map((line) => line.msg).sort()).toEqual([
      'order failed; the invocation fails',
      'poison record',
    ])
  })
})

describe('SNS handler redeliveries', () => {
  it('when the same event is delivered twice, then it is paid once and the second is a duplicate', async () => {
    const { handle, logs, calls, emf } = await handlerWith()
    const event = snsEvent([JSON.stringify(order('l-8'))])
    await handle(event, { awsRequestId: 'req-1' })
    await expect(handle(event, { awsRequestId: 'req-2' })).resolves.toBeUndefined()
    expect(calls).toEqual(['l-8'])
    expect(logs.at(-1)).toMatchObject({
      msg: 'duplicate delivery; payment not repeated',
      orderId: 'l-8',
      messageId: event.Records[0]?.Sns.MessageId,
      requestId: 'req-2',
    })
    expect(emf).toEqual([
      expect.objectContaining({ orders_processed_total: 1, orders_duplicate_total: 0 }),
      expect.objectContaining({ orders_processed_total: 0, orders_duplicate_total: 1 }),
    ])
  })

  it('when an order failed, then its redelivery pays it and counts one failure, then one success', async () => {
    let failures = 1
    const { handle, calls, emf } = await handlerWith(() => failures-- > 0)
    const event = snsEvent([JSON.stringify(order('l-9'))])
    await expect(handle(event)).rejects.toThrow('payment declined')
    await handle(event)
    expect(calls).toEqual(['l-9', 'l-9'])
    expect(emf).toEqual([
      expect.objectContaining({ orders_failed_total: 1, orders_processed_total: 0 }),
      expect.objectContaining({ orders_failed_total: 0, orders_processed_total: 1 }),
    ])
  })
})

describe('SNS handler and the orders table', () => {
  it('when the third attempt fails, then the order ends failed and the invocation fails for good', async () => {
    const { handle, store, emf } = await handlerWith(() => true)
    const event = snsEvent([JSON.stringify(order('l-11'))])
    for (let attempt = 1; attempt <= 3; attempt++) {
      await expect(handle(event)).rejects.toThrow('payment declined')
    }
    expect(await store.get('l-11')).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'payment_failed',
    })
    // A fourth delivery (a redrive from the on-failure destination) is a duplicate, unpaid.
    await expect(handle(event)).resolves.toBeUndefined()
    expect(emf.at(-1)).toMatchObject({ orders_duplicate_total: 1, orders_failed_total: 0 })
  })

  it('when another sandbox holds the order, then the invocation fails as held, unpaid', async () => {
    const { handle, store, calls } = await handlerWith()
    await store.claim({ orderId: 'l-12', owner: 'elsewhere', leaseMs: 25_000 })
    const failure = handle(snsEvent([JSON.stringify(order('l-12'))]))
    await expect(failure).rejects.toBeInstanceOf(OrderHeldError)
    expect(calls).toEqual([])
  })

  it('when the context says how long the invocation has left, then that is the lease', async () => {
    const { store } = await tables.newStore()
    let lease: number | undefined
    const handle = createSnsHandler({
      processOrder: async (paying) => {
        lease = (await store.get(paying.order_id))?.leaseExpiresAt
        return { ...paying, status: 'completed' }
      },
      store,
      owner: randomUUID(),
      leaseMs: 25_000,
      logger: capturingLogger().logger,
      metrics: createEmfMetrics({ namespace: 'Orders', logger: capturingLogger().logger }),
    })
    const before = Date.now()
    await handle(snsEvent([JSON.stringify(order('l-13'))]), {
      awsRequestId: 'r',
      getRemainingTimeInMillis: () => 7000,
    })
    expect(lease).toBeGreaterThanOrEqual(before + 7000)
    expect(lease).toBeLessThan(Date.now() + 7000)
  })
})
