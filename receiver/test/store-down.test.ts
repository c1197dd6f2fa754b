import type { ProcessOrder } from '@orders/order/payment'
import { awsClients } from '@orders/stack/aws'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createMetrics } from '../src/metrics.ts'
import { createRecords } from '../src/records.ts'
import { startFailingProxy } from './failing-proxy.ts'
import { startHoldingProxy } from './holding-proxy.ts'
import { useLocalAws } from './local-aws.ts'
import { orderBody } from './order-body.ts'
import { receiverApp } from './receiver-app.ts'

const local = useLocalAws()
const closers: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const close of closers.splice(0)) await close()
})

// The app with its table behind `endpoint`, STORE_TIMEOUT_MS 300.
function appBehind(
  endpoint: string,
  overrides: { processOrder?: ProcessOrder; publishWindowMs?: number } = {},
) {
  const { dynamodb } = awsClients({ ...local.aws.env, AWS_ENDPOINT_URL_DYNAMODB: endpoint })
  closers.push(() => dynamodb.destroy())
  const metrics = createMetrics()
  const records = createRecords({
    client: dynamodb,
    tableName: local.queues.tableName,
    timeoutMs: 300,
    hooks: metrics.store,
  })
  return receiverApp(local, { metrics, records, ...overrides })
}

function expectStoreUnavailable(res: request.Response) {
  expect(res.status).toBe(503)
  expect(res.headers['retry-after']).toBe('5')
  expect(res.body).toEqual({ error: 'store_unavailable', message: expect.any(String) })
}

describe('when the orders table is down', () => {
  it('then async orders get 503 store_unavailable with Retry-After and nothing is published, and the same process accepts them once it is back', async () => {
    const proxy = await startFailingProxy(local.aws.dynamo.port)
    closers.push(proxy.close)
    const { app, published, metrics } = appBehind(proxy.endpoint)
    const body = orderBody()
    expect((await request(app).post('/orders/async').send(orderBody())).status).toBe(202)

    proxy.down()
    expectStoreUnavailable(await request(app).post('/orders/async').send(body))
    expectStoreUnavailable(await request(app).get(`/orders/${body.order_id}`))
    expect(published(body.order_id)).toBe(0)

    proxy.up()
    const accepted = await request(app).post('/orders/async').send(body)
    expect(accepted.status).toBe(202)
    expect((await request(app).get(`/orders/${body.order_id}`)).body.status).toBe('pending')
    expect(published(body.order_id)).toBe(1)
    const text = await metrics.registry.metrics()
    expect(text).toContain('orders_rejected_total{reason="store_unavailable"} 1')
    expect(text).toMatch(
      /orders_store_request_duration_seconds_count\{operation="record",outcome="error"\} 1$/m,
    )
    expect(text).toContain('order_status_requests_total{result="unavailable"} 1')
  })

  it('then sync orders get 503 store_unavailable and are not paid', async () => {
    const proxy = await startFailingProxy(local.aws.dynamo.port)
    closers.push(proxy.close)
    const paid: string[] = []
    const processOrder: ProcessOrder = async (order) => {
      paid.push(order.order_id)
      return { ...order, status: 'completed' }
    }
    const { app } = appBehind(proxy.endpoint, { processOrder })
    proxy.down()
    expectStoreUnavailable(await request(app).post('/orders/sync').send(orderBody()))
    expect(paid).toEqual([])
  })
})

describe('when the orders table is slower than STORE_TIMEOUT_MS', () => {
  it('then 503 store_unavailable and nothing is published; a write that landed late is published by a retry once its window has passed', async () => {
    const proxy = await startHoldingProxy(local.aws.dynamo.port)
    closers.push(proxy.close)
    const { app, published, metrics } = appBehind(proxy.endpoint, { publishWindowMs: 300 })
    const body = orderBody()

    expectStoreUnavailable(await request(app).post('/orders/async').send(body))
    expect(published(body.order_id)).toBe(0)
    const text = await metrics.registry.metrics()
    expect(text).toMatch(
      /orders_store_request_duration_seconds_count\{operation="record",outcome="timeout"\} 1$/m,
    )

    // The PutItem reached the table; only its answer was held. Its record is the retry's.
    proxy.release()
    await expect
      .poll(async () => (await request(app).post('/orders/async').send(body)).status, {
        timeout: 5000,
        interval: 100,
      })
      .toBe(202)
    expect(published(body.order_id)).toBe(1)
  })
})
