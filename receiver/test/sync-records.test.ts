import type { ProcessOrder } from '@orders/order/payment'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { listen } from './http-client.ts'
import { useLocalAws } from './local-aws.ts'
import { orderBody } from './order-body.ts'
import { receiverApp } from './receiver-app.ts'

const local = useLocalAws()

// A payment that records what it paid and ends only once the test opens the gate.
function countedPayment() {
  const paid: string[] = []
  let open = () => {}
  const gate = new Promise<void>((resolve) => {
    open = resolve
  })
  let gated = false
  const processOrder: ProcessOrder = async (order) => {
    paid.push(order.order_id)
    if (gated) await gate
    return { ...order, status: 'completed' }
  }
  return { processOrder, paid, open, hold: () => (gated = true) }
}

describe('POST /orders/sync with the orders table', () => {
  it('when a sync order is paid, then its record is completed', async () => {
    const { app } = receiverApp(local)
    const body = orderBody()
    const res = await request(app).post('/orders/sync').send(body)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ...body, status: 'completed', created_at: expect.any(String) })
    const status = await request(app).get(`/orders/${body.order_id}`)
    expect(status.body).toMatchObject({
      status: 'completed',
      attempts: 1,
      created_at: res.body.created_at,
    })
  })

  it('when a completed sync order comes again, then the same 200 answer and no second payment', async () => {
    const payment = countedPayment()
    const { app, metrics } = receiverApp(local, { processOrder: payment.processOrder })
    const body = orderBody()
    const first = await request(app).post('/orders/sync').send(body)
    const again = await request(app).post('/orders/sync').send(body)
    expect(again.status).toBe(200)
    expect(again.body).toEqual(first.body)
    expect(payment.paid).toEqual([body.order_id])
    expect(await metrics.registry.metrics()).toContain(
      'orders_already_recorded_total{mode="sync",reason="retry_same_content"} 1',
    )
  })

  it('when another receiver is paying the order, then 409 order_in_progress with Retry-After and no second payment', async () => {
    const payment = countedPayment()
    payment.hold()
    // Two replicas on one table.
    const paying = receiverApp(local, { processOrder: payment.processOrder })
    const other = receiverApp(local, { processOrder: payment.processOrder })
    const { base, close } = await listen(paying.app)
    const body = orderBody()
    try {
      const first = fetch(`${base}/orders/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      await expect.poll(() => payment.paid.length).toBe(1)

      const again = await request(other.app).post('/orders/sync').send(body)
      expect(again.status).toBe(409)
      expect(again.body.error).toBe('order_in_progress')
      expect(again.headers.location).toBe(`/orders/${body.order_id}`)
      expect(Number(again.headers['retry-after'])).toBeGreaterThanOrEqual(1)
      expect((await request(other.app).get(`/orders/${body.order_id}`)).body.status).toBe(
        'processing',
      )

      payment.open()
      expect((await first).status).toBe(200)
      expect(payment.paid).toEqual([body.order_id])
    } finally {
      payment.open()
      await close()
    }
  })

  it('when the processor holds an async order, then a sync request for it is 409 order_in_progress', async () => {
    const payment = countedPayment()
    const { app, records } = receiverApp(local, { processOrder: payment.processOrder })
    const body = orderBody()
    const accepted = await request(app).post('/orders/async').send(body)
    await records.claim({
      orderId: body.order_id,
      owner: 'processor-under-test',
      leaseMs: 30_000,
      messageId: accepted.body.message_id,
    })
    const res = await request(app).post('/orders/sync').send(body)
    expect(res.status).toBe(409)
    expect(res.body.error).toBe('order_in_progress')
    expect(payment.paid).toEqual([])
  })

  it('when a sync order reuses an id with other content, then 409 order_conflict and no payment', async () => {
    const payment = countedPayment()
    const { app } = receiverApp(local, { processOrder: payment.processOrder })
    const body = orderBody()
    await request(app).post('/orders/sync').send(body)
    const res = await request(app)
      .post('/orders/sync')
      .send({ ...body, customer_id: 2 })
    expect(res.status).toBe(409)
    expect(res.body.error).toBe('order_conflict')
    expect(payment.paid).toEqual([body.order_id])
  })

  it('when the order ended failed, then a sync request is 409 order_failed pointing to its status', async () => {
    const payment = countedPayment()
    const { app, records } = receiverApp(local, { processOrder: payment.processOrder })
    const body = orderBody()
    await request(app).post('/orders/async').send(body)
    expect(await records.fail({ orderId: body.order_id, errorCode: 'poison' })).toEqual({
      kind: 'failed',
    })
    const res = await request(app).post('/orders/sync').send(body)
    expect(res.status).toBe(409)
    expect(res.body).toEqual({
      error: 'order_failed',
      message: expect.any(String),
      status_url: `/orders/${body.order_id}`,
    })
    expect(payment.paid).toEqual([])
  })

  it('when an async order is recorded but not yet taken, then a sync request claims and pays it once', async () => {
    const payment = countedPayment()
    const { app } = receiverApp(local, { processOrder: payment.processOrder })
    const body = orderBody()
    await request(app).post('/orders/async').send(body)
    const res = await request(app).post('/orders/sync').send(body)
    expect(res.status).toBe(200)
    expect(payment.paid).toEqual([body.order_id])
    expect((await request(app).get(`/orders/${body.order_id}`)).body.status).toBe('completed')
  })
})
