import { randomUUID } from 'node:crypto'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { useLocalAws } from './local-aws.ts'
import { receiverApp } from './receiver-app.ts'

const local = useLocalAws()

const orderBody = (orderId = randomUUID()) => ({
  order_id: orderId,
  customer_id: 424_242,
  items: [{ product_id: 'SECRET-SKU', quantity: 3, price: 777.77 }],
})

const STATUS_FIELDS = ['attempts', 'created_at', 'order_id', 'status', 'updated_at']
const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/)

describe('GET /orders/{order_id}', () => {
  it('when the order is pending, then 200 with its status and timestamps, and Retry-After', async () => {
    const { app } = receiverApp(local)
    const body = orderBody()
    const accepted = await request(app).post('/orders/async').send(body)
    const res = await request(app).get(accepted.headers.location ?? '')
    expect(res.status).toBe(200)
    expect(res.headers['retry-after']).toBe('1')
    expect(res.body).toEqual({
      order_id: body.order_id,
      status: 'pending',
      created_at: isoTime,
      updated_at: isoTime,
      attempts: 0,
    })
  })

  it('when the order failed, then its error code is shown and there is no Retry-After', async () => {
    const { app, records } = receiverApp(local)
    const body = orderBody()
    await request(app).post('/orders/async').send(body)
    const owner = 'processor-under-test'
    await records.claim({ orderId: body.order_id, owner, leaseMs: 30_000, messageId: 'm-1' })
    await records.release({
      orderId: body.order_id,
      owner,
      errorCode: 'payment_declined',
      final: true,
    })

    const res = await request(app).get(`/orders/${body.order_id}`)
    expect(res.status).toBe(200)
    expect(res.headers['retry-after']).toBeUndefined()
    expect(res.body).toEqual({
      order_id: body.order_id,
      status: 'failed',
      created_at: isoTime,
      updated_at: isoTime,
      attempts: 1,
      error: 'payment_declined',
    })
  })

  it('when a sync order completed, then 200 completed without Retry-After', async () => {
    const { app } = receiverApp(local)
    const body = orderBody()
    expect((await request(app).post('/orders/sync').send(body)).status).toBe(200)
    const res = await request(app).get(`/orders/${body.order_id}`)
    expect(res.body).toMatchObject({ status: 'completed', attempts: 1 })
    expect(res.headers['retry-after']).toBeUndefined()
  })

  it('when any order is read, then nothing of its content is shown: no customer, items or prices', async () => {
    const { app } = receiverApp(local)
    const [asyncBody, syncBody] = [orderBody(), orderBody()]
    await request(app).post('/orders/async').send(asyncBody)
    await request(app).post('/orders/sync').send(syncBody)
    for (const body of [asyncBody, syncBody]) {
      const res = await request(app).get(`/orders/${body.order_id}`)
      expect(Object.keys(res.body).toSorted()).toEqual(STATUS_FIELDS)
      for (const secret of ['424242', 'SECRET-SKU', '777.77', 'customer', 'items', 'price']) {
        expect(res.text).not.toContain(secret)
      }
    }
  })

  it('when no order has the id, then 404 order_not_found', async () => {
    const { app } = receiverApp(local)
    const res = await request(app).get(`/orders/${randomUUID()}`)
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ error: 'order_not_found', message: expect.any(String) })
  })

  it.each([
    ['has a space', '/orders/no%20spaces'],
    ['is longer than 64', `/orders/${'x'.repeat(65)}`],
    ['holds an encoded slash', '/orders/a%2Fb'],
  ])('when the id %s, then 400 invalid_order_id by the order schema rule', async (_name, path) => {
    const { app } = receiverApp(local)
    const res = await request(app).get(path)
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      error: 'invalid_order_id',
      message: expect.any(String),
      issues: [{ path: 'order_id', message: expect.any(String) }],
    })
  })

  it('when statuses are asked, then they are counted by result and not as refused orders', async () => {
    const { app, metrics } = receiverApp(local)
    const body = orderBody()
    await request(app).post('/orders/async').send(body)
    await request(app).get(`/orders/${body.order_id}`)
    await request(app).get(`/orders/${randomUUID()}`)
    await request(app).get('/orders/no%20spaces')
    const text = await metrics.registry.metrics()
    expect(text).toContain('order_status_requests_total{result="pending"} 1')
    expect(text).toContain('order_status_requests_total{result="not_found"} 1')
    expect(text).toContain('order_status_requests_total{result="invalid_id"} 1')
    expect(text).toContain(
      'orders_store_request_duration_seconds_count{operation="get",outcome="ok"} 2',
    )
    expect(text).not.toContain('orders_rejected_total{')
  })
})

describe('GET /orders/{order_id} of an order whose publish failed', () => {
  it('when its record is marked publish_failed but still pending, then no error is shown: the order is not over', async () => {
    const failing = receiverApp(local, {
      publishOrder: () => Promise.reject(new Error('SNS is away')),
    })
    const body = orderBody()
    expect((await request(failing.app).post('/orders/async').send(body)).status).toBe(503)
    expect(await failing.records.get(body.order_id)).toMatchObject({
      status: 'pending',
      lastError: 'publish_failed',
    })

    const res = await request(failing.app).get(`/orders/${body.order_id}`)
    expect(res.body.status).toBe('pending')
    expect(Object.keys(res.body).toSorted()).toEqual(STATUS_FIELDS)
  })
})
