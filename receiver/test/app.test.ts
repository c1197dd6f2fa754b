import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:net'
import { SNSClient } from '@aws-sdk/client-sns'
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import type { Order } from '@orders/order/order'
import { createPayment, type ProcessOrder } from '@orders/order/payment'
import { createMetricsApp } from '@orders/service/http'
import { pino } from 'pino'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import type { PublishOrder } from '../src/message.ts'
import { createMetrics } from '../src/metrics.ts'
import { createOrderPublisher } from '../src/publisher.ts'
import { recordsOn, useLocalAws } from './local-aws.ts'

const silent = pino({ level: 'silent' })
const local = useLocalAws()

function appWith(overrides: { publishOrder?: PublishOrder; processOrder?: ProcessOrder } = {}) {
  const metrics = createMetrics()
  const app = createApp({
    records: recordsOn(local, metrics),
    publishOrder:
      overrides.publishOrder ??
      createOrderPublisher({
        sns: local.aws.clients.sns,
        topicArn: local.queues.topicArn,
        timeoutMs: 2000,
      }),
    processOrder: overrides.processOrder ?? createPayment(1),
    logger: silent,
    metrics,
    syncConcurrency: 20,
  })
  return { app, metrics }
}

const orderBody = (orderId = randomUUID()) => ({
  order_id: orderId,
  customer_id: 123,
  items: [{ product_id: 'SKU-001', quantity: 1, price: 19.99 }],
})

async function receiveOrder(orderId: string): Promise<Order | undefined> {
  const { Messages = [] } = await local.aws.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: local.queues.queueUrl, MaxNumberOfMessages: 10 }),
  )
  const orders = Messages.map((m) => JSON.parse(JSON.parse(m.Body ?? '').Message) as Order)
  return orders.find((order) => order.order_id === orderId)
}

describe('GET /health', () => {
  it('when asked, then it answers 200 OK', async () => {
    const res = await request(appWith().app).get('/health')
    expect(res.status).toBe(200)
    expect(res.text).toBe('OK')
  })
})

describe('GET /metrics', () => {
  it('when asked on the public port, then 404 with the same JSON as any unknown route', async () => {
    const { app } = appWith()
    const [metrics, unknown] = await Promise.all([
      request(app).get('/metrics'),
      request(app).get('/no-such-route'),
    ])
    expect([metrics.status, unknown.status]).toEqual([404, 404])
    expect(metrics.headers['content-type']).toBe(unknown.headers['content-type'])
    expect(metrics.body).toEqual({ error: 'not_found', message: 'no route for GET /metrics' })
    expect(unknown.body).toEqual({ error: 'not_found', message: 'no route for GET /no-such-route' })
  })

  it('when the metrics port is scraped after traffic, then the order, publish and HTTP metrics are exposed', async () => {
    const { app, metrics } = appWith()
    await request(app).post('/orders/async').send(orderBody())
    await request(app).post('/orders/async').send({})
    const res = await request(createMetricsApp(metrics.registry)).get('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/plain')
    expect(res.text).toContain('orders_accepted_total{mode="async"} 1')
    expect(res.text).toContain('orders_rejected_total{reason="invalid_order"} 1')
    expect(res.text).toContain('sns_publish_duration_seconds_count{outcome="ok"} 1')
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="POST",route="\/orders\/async",status="202"\} 1/,
    )
  })

  it('when anything but /metrics is asked on the metrics port, then 404 JSON', async () => {
    const res = await request(createMetricsApp(createMetrics().registry)).get('/health')
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ error: 'not_found', message: 'no route for GET /health' })
  })
})

describe('POST /orders/async', () => {
  it('when the order is valid, then 202 comes after SNS acked and the event is on the queue', async () => {
    const { app, metrics } = appWith()
    const body = orderBody()
    const res = await request(app)
      .post('/orders/async')
      .send({ ...body, coupon: 'FREE' })
    expect(res.status).toBe(202)
    expect(res.headers.location).toBe(`/orders/${body.order_id}`)
    expect(res.body).toEqual({
      order_id: body.order_id,
      status: 'pending',
      message_id: expect.any(String),
      status_url: `/orders/${body.order_id}`,
    })
    let event: Order | undefined
    await expect
      .poll(async () => (event ??= await receiveOrder(body.order_id)), { timeout: 5000 })
      .toBeDefined()
    expect(event).toEqual({ ...body, status: 'pending', created_at: expect.any(String) })
    expect(await metrics.registry.getSingleMetricAsString('orders_accepted_total')).toContain(
      'orders_accepted_total{mode="async"} 1',
    )
  })

  it('when SNS refuses the publish, then 503 with Retry-After and nothing accepted', async () => {
    const publishOrder = createOrderPublisher({
      sns: local.aws.clients.sns,
      topicArn: 'arn:aws:sns:us-east-1:000000000000:no-such-topic',
      timeoutMs: 2000,
    })
    const { app, metrics } = appWith({ publishOrder })
    const res = await request(app).post('/orders/async').send(orderBody())
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body).toEqual({ error: 'publish_failed', message: expect.any(String) })
    expect(await metrics.registry.getSingleMetricAsString('orders_rejected_total')).toContain(
      'reason="publish_failed"} 1',
    )
  })

  it('when SNS never answers, then the publish times out into a 503', async () => {
    const blackHole: Server = createServer(() => {})
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve))
    const address = blackHole.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const sns = new SNSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    try {
      const publishOrder = createOrderPublisher({
        sns,
        topicArn: local.queues.topicArn,
        timeoutMs: 200,
      })
      const res = await request(appWith({ publishOrder }).app)
        .post('/orders/async')
        .send(orderBody())
      expect(res.status).toBe(503)
      expect(res.headers['retry-after']).toBe('5')
    } finally {
      sns.destroy()
      blackHole.close()
    }
  })
})

describe('POST /orders/sync', () => {
  it('when the order is valid, then 200 with the completed order', async () => {
    const body = orderBody()
    const res = await request(appWith().app).post('/orders/sync').send(body)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ...body, status: 'completed', created_at: expect.any(String) })
    expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at)
  })

  it('when up to SYNC_QUEUE_LIMIT more arrive than SYNC_CONCURRENCY, then they wait their turn', async () => {
    let running = 0
    let most = 0
    const pay = createPayment(100)
    const processOrder: ProcessOrder = async (order) => {
      running += 1
      most = Math.max(most, running)
      try {
        return await pay(order)
      } finally {
        running -= 1
      }
    }
    const app = createApp({
      records: recordsOn(local),
      publishOrder: async () => ({ messageId: 'unused' }),
      processOrder,
      logger: silent,
      metrics: createMetrics(),
      syncConcurrency: 2,
      syncQueueLimit: 4,
    })
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => request(app).post('/orders/sync').send(orderBody())),
    )
    expect(statuses.map((res) => res.status)).toEqual(Array(6).fill(200))
    expect(most).toBe(2)
  })
})
