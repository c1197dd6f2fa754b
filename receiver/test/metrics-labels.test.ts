import { randomUUID } from 'node:crypto'
import { newOrder } from '@orders/order/order'
import { createPayment, type ProcessOrder } from '@orders/order/payment'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import type { PublishOrder } from '../src/message.ts'
import { createMetrics } from '../src/metrics.ts'
import { createOrderPublisher, createPublisher } from '../src/publisher.ts'
import { capturedLogs } from './captured-logs.ts'
import { gate } from './gate.ts'
import { listenDuringTest, postOrder } from './http-client.ts'
import { recordsOn, useLocalAws } from './local-aws.ts'

// What the load tool, the dashboards and the alerts read: each metric by name, with exactly the
// labels and the value the event it counts leaves behind, and the fields of the lines an operator
// searches for.
const local = useLocalAws()

type Sample = { value: number; labels: object; metricName?: string }

// A counter's or gauge's series, or a histogram's counts, as { labels, value }.
async function series(metric: { get: () => Promise<{ values: Sample[] }> }) {
  const { values } = await metric.get()
  return values
    .filter((v) => v.metricName === undefined || v.metricName.endsWith('_count'))
    .map(({ labels, value }) => ({ labels, value }))
}

async function histogram(metric: { get: () => Promise<{ values: Sample[] }> }) {
  const { values } = await metric.get()
  const named = (suffix: string) => values.find((v) => v.metricName?.endsWith(suffix))?.value
  return { count: named('_count'), sum: named('_sum') }
}

// Publishes to SNS on the emulator: the file's topic, or another.
const publishTo = (topicArn = local.queues.topicArn) =>
  createOrderPublisher({ sns: local.aws.clients.sns, topicArn, timeoutMs: 2000 })

type Setup = {
  publishOrder?: PublishOrder
  processOrder?: ProcessOrder
  syncConcurrency?: number
  syncQueueLimit?: number
}

function receiver(setup: Setup = {}) {
  const metrics = createMetrics()
  const logs = capturedLogs()
  const publishOrder = setup.publishOrder ?? publishTo()
  const app = createApp({
    records: recordsOn(local, metrics),
    publishOrder,
    processOrder: setup.processOrder ?? createPayment(1),
    logger: logs.logger,
    metrics,
    syncConcurrency: setup.syncConcurrency ?? 2,
    syncQueueLimit: setup.syncQueueLimit,
  })
  return { app, metrics, ...logs }
}

const orderBody = () => ({
  order_id: randomUUID(),
  customer_id: 5,
  items: [{ product_id: 'SKU-9', quantity: 2, price: 3.5 }],
})

// One valid order posted to a fresh receiver.
async function postOne(path: string) {
  const setup = receiver()
  const body = orderBody()
  const res = await request(setup.app).post(path).send(body)
  return { ...setup, res, body }
}

describe('an accepted order', () => {
  it('when an async order is acked by SNS, then accepted{mode="async"}, publish{outcome="ok"} and "order accepted" with its ids', async () => {
    const { res, metrics, line, body } = await postOne('/orders/async')
    expect(res.status).toBe(202)
    expect(await series(metrics.accepted)).toEqual([{ labels: { mode: 'async' }, value: 1 }])
    expect(await series(metrics.publishSeconds)).toEqual([{ labels: { outcome: 'ok' }, value: 1 }])
    expect(await series(metrics.rejected)).toEqual([])
    expect(line('order accepted')).toMatchObject({
      level: 30,
      orderId: body.order_id,
      messageId: res.body.message_id,
    })
    expect(await series(metrics.httpSeconds)).toEqual([
      { labels: { method: 'POST', route: '/orders/async', status: 202 }, value: 1 },
    ])
  })

  it('when a sync order is paid, then accepted{mode="sync"} and "order completed" with its id and duration', async () => {
    const { res, metrics, line, body } = await postOne('/orders/sync')
    expect(res.status).toBe(200)
    expect(await series(metrics.accepted)).toEqual([{ labels: { mode: 'sync' }, value: 1 }])
    expect(await series(metrics.publishSeconds)).toEqual([])
    expect(line('order completed')).toMatchObject({
      level: 30,
      orderId: body.order_id,
      durationMs: expect.any(Number),
      clientLeft: false,
    })
    expect(await series(metrics.httpSeconds)).toEqual([
      { labels: { method: 'POST', route: '/orders/sync', status: 200 }, value: 1 },
    ])
  })
})

describe('gauges of orders in progress', () => {
  it('when one sync order pays and one waits, then sync_orders_in_flight 1 and sync_orders_waiting 1, both 0 after', async () => {
    const payment = gate()
    const { app, metrics } = receiver({
      processOrder: async (order) => {
        await payment.opened
        return { ...order, status: 'completed' }
      },
      syncConcurrency: 1,
      syncQueueLimit: 1,
    })
    const { base } = await listenDuringTest(app)
    const paying = postOrder(base, '/orders/sync')
    await expect.poll(() => series(metrics.syncInFlight)).toEqual([{ labels: {}, value: 1 }])
    expect(await series(metrics.syncWaiting)).toEqual([{ labels: {}, value: 0 }])
    const waiting = postOrder(base, '/orders/sync')
    await expect.poll(() => series(metrics.syncWaiting)).toEqual([{ labels: {}, value: 1 }])
    expect(await series(metrics.syncInFlight)).toEqual([{ labels: {}, value: 1 }])

    payment.open()
    const answers = await Promise.all([paying.answer, waiting.answer])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    expect(await series(metrics.syncInFlight)).toEqual([{ labels: {}, value: 0 }])
    expect(await series(metrics.syncWaiting)).toEqual([{ labels: {}, value: 0 }])
    expect(await series(metrics.accepted)).toEqual([{ labels: { mode: 'sync' }, value: 2 }])
  })

  it('when an async order waits for its ack, then async_orders_awaiting_ack is 1 until SNS answers', async () => {
    const ack = gate()
    const publish = publishTo()
    const { app, metrics } = receiver({
      publishOrder: async (order) => {
        await ack.opened
        return publish(order)
      },
    })
    const { base } = await listenDuringTest(app)
    const sent = postOrder(base, '/orders/async')
    await expect.poll(() => series(metrics.awaitingAck)).toEqual([{ labels: {}, value: 1 }])

    ack.open()
    expect((await sent.answer).status).toBe(202)
    expect(await series(metrics.awaitingAck)).toEqual([{ labels: {}, value: 0 }])
  })
})

describe('failures an operator is paged for', () => {
  it('when SNS refuses the publish, then rejected{reason="publish_failed"}, publish{outcome="error"} and "publish failed" with the order id', async () => {
    const { app, metrics, line } = receiver({
      publishOrder: publishTo('arn:aws:sns:us-east-1:000000000000:no-such-topic'),
    })
    const body = orderBody()
    const res = await request(app).post('/orders/async').send(body)

    expect(res.status).toBe(503)
    expect(await series(metrics.rejected)).toEqual([
      { labels: { reason: 'publish_failed' }, value: 1 },
    ])
    expect(await series(metrics.publishSeconds)).toEqual([
      { labels: { outcome: 'error' }, value: 1 },
    ])
    expect(await series(metrics.accepted)).toEqual([])
    expect(line('publish failed')).toMatchObject({
      level: 50,
      orderId: body.order_id,
      err: { message: expect.stringMatching(/./) },
    })
    expect(await series(metrics.awaitingAck)).toEqual([{ labels: {}, value: 0 }])
  })

  it('when the payment itself throws, then 500 internal_error says nothing internal, and "unhandled error" names method and path', async () => {
    const { app, metrics, line } = receiver({
      processOrder: () => Promise.reject(new Error('card vault unreachable at 10.1.2.3')),
    })
    const res = await request(app).post('/orders/sync').send(orderBody())

    expect(res.status).toBe(500)
    expect(res.body).toEqual({
      error: 'internal_error',
      message: 'something went wrong on our side',
    })
    expect(JSON.stringify(res.body)).not.toContain('vault')
    expect(line('unhandled error')).toMatchObject({
      level: 50,
      method: 'POST',
      path: '/orders/sync',
      err: { message: 'card vault unreachable at 10.1.2.3' },
    })
    expect(await series(metrics.rejected)).toEqual([])
    expect(await series(metrics.accepted)).toEqual([])
    expect(await series(metrics.syncInFlight)).toEqual([{ labels: {}, value: 0 }])
    expect(await series(metrics.syncWaiting)).toEqual([{ labels: {}, value: 0 }])
  })
})

describe('orders_rejected_total by reason', () => {
  const order = JSON.stringify(orderBody())
  it.each([
    ['invalid_json', 'application/json', '{"order_id":'],
    ['invalid_order', 'application/json', '{}'],
    ['unsupported_media_type', 'text/plain', order],
    ['payload_too_large', 'application/json', `{"pad":"${'x'.repeat(65 * 1024)}"}`],
  ])(
    'when the body is refused as %s, then only that reason is counted',
    async (reason, type, body) => {
      const { app, metrics } = receiver()
      const res = await request(app).post('/orders/async').set('Content-Type', type).send(body)
      expect(res.body.error).toBe(reason)
      expect(await series(metrics.rejected)).toEqual([{ labels: { reason }, value: 1 }])
    },
  )

  it('when a request has no body at all, then it is counted as empty_body', async () => {
    const { app, metrics } = receiver()
    await request(app).post('/orders/sync')
    expect(await series(metrics.rejected)).toEqual([{ labels: { reason: 'empty_body' }, value: 1 }])
  })

  it('when the route is unknown or the method wrong, then no order is counted rejected, and the route label stays bounded', async () => {
    const { app, metrics } = receiver()
    await request(app).get(`/orders/${randomUUID()}/status`)
    await request(app).get('/orders/async')

    expect(await series(metrics.rejected)).toEqual([])
    expect(await series(metrics.httpSeconds)).toEqual([
      { labels: { method: 'GET', route: 'unmatched', status: 404 }, value: 1 },
      { labels: { method: 'GET', route: '/orders/async', status: 405 }, value: 1 },
    ])
  })
})

describe('the batcher metrics', () => {
  it('when three orders wait out the linger, then sns_publish_waiting is 3, and the batch that carries them observes 3 entries', async () => {
    const metrics = createMetrics()
    const publisher = createPublisher({
      sns: local.aws.clients.sns,
      topicArn: local.queues.topicArn,
      timeoutMs: 2000,
      // Only the drain sends this batch: the test never waits out a timer.
      lingerMs: 60_000,
      metrics,
    })
    const published = Promise.all(
      Array.from({ length: 3 }, () => publisher.publishOrder(newOrder(orderBody()))),
    )
    expect(await series(metrics.publishWaiting)).toEqual([{ labels: {}, value: 3 }])
    expect(await histogram(metrics.publishBatchEntries)).toEqual({ count: 0, sum: 0 })

    await publisher.drain()
    await published
    expect(await series(metrics.publishWaiting)).toEqual([{ labels: {}, value: 0 }])
    expect(await histogram(metrics.publishBatchEntries)).toEqual({ count: 1, sum: 3 })
  })
})
