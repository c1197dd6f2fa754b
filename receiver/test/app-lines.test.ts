import { randomUUID } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { ProcessOrder } from '@orders/order/payment'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { createMetrics } from '../src/metrics.ts'
import { capturedLogs } from './captured-logs.ts'
import { gatedPayment } from './gate.ts'
import { type Answer, listenDuringTest, postOrder } from './http-client.ts'
import { recordsOn, useLocalAws } from './local-aws.ts'

// What the sync endpoint logs when a client leaves, and the edges of what it accepts as a body.
const local = useLocalAws()

function receiver(processOrder: ProcessOrder, syncQueueLimit = 1) {
  const logs = capturedLogs()
  const metrics = createMetrics()
  const app = createApp({
    records: recordsOn(local, metrics),
    publishOrder: () => Promise.reject(new Error('no async order here')),
    processOrder,
    logger: logs.logger,
    metrics,
    syncConcurrency: 1,
    syncQueueLimit,
  })
  return { app, metrics, ...logs }
}

// A POST with exactly the headers given: no client library adds a Content-Type of its own.
function rawPost(base: string, headers: Record<string, string>, body: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(new URL('/orders/sync', base), { method: 'POST', headers })
    req.on('error', reject)
    req.on('response', (res) => {
      let text = ''
      res.on('data', (chunk) => {
        text += chunk
      })
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
      )
    })
    req.end(body)
  })
}

describe('POST /orders/sync, the lines of a client that leaves', () => {
  it('when a client leaves while queued, then "client left before its payment started" names the order', async () => {
    const payment = gatedPayment()
    const { app, line, metrics } = receiver(payment.processOrder)
    const { base } = await listenDuringTest(app)
    const paying = postOrder(base, '/orders/sync')
    await expect.poll(() => payment.started.length).toBe(1)
    const leaving = postOrder(base, '/orders/sync')
    await expect.poll(async () => (await metrics.syncWaiting.get()).values[0]?.value).toBe(1)
    leaving.leave()
    await expect
      .poll(() => line('client left before its payment started; not paid').orderId)
      .toBe(leaving.orderId)
    expect(line('client left before its payment started; not paid')).toMatchObject({
      level: 30,
      durationMs: expect.any(Number),
    })
    payment.open()
    expect((await paying.answer).status).toBe(200)
  })

  it('when a client leaves during its payment, then "order completed" says clientLeft: true', async () => {
    const payment = gatedPayment()
    const { app, lines, metrics } = receiver(payment.processOrder)
    const { base, connections } = await listenDuringTest(app)
    const leaving = postOrder(base, '/orders/sync')
    await expect.poll(() => payment.started.length).toBe(1)
    leaving.leave()
    await expect.poll(connections).toBe(0)
    payment.open()
    await expect
      .poll(() => lines.find((l) => l.msg === 'order completed'))
      .toMatchObject({ orderId: leaving.orderId, clientLeft: true, durationMs: expect.any(Number) })
    const abandoned = (await metrics.syncAbandoned.get()).values
    expect(abandoned.map(({ labels, value }) => ({ labels, value }))).toEqual([
      { labels: { stage: 'paying' }, value: 1 },
    ])
  })

  it('when an order is paid, then its durationMs is the time it waited and paid, no more', async () => {
    const { app, line } = receiver(async (order) => ({ ...order, status: 'completed' }))
    const before = performance.now()
    const res = await request(app)
      .post('/orders/sync')
      .send({
        order_id: randomUUID(),
        customer_id: 1,
        items: [{ product_id: 'A', quantity: 1, price: 1 }],
      })
    const elapsed = performance.now() - before
    expect(res.status).toBe(200)
    const { durationMs } = line('order completed')
    expect(durationMs).toBeGreaterThanOrEqual(0)
    expect(durationMs).toBeLessThanOrEqual(Math.ceil(elapsed))
  })
})

describe('what counts as no body', () => {
  const order = JSON.stringify({
    order_id: randomUUID(),
    customer_id: 1,
    items: [{ product_id: 'A', quantity: 1, price: 1 }],
  })

  it('when a body comes without a Content-Type, then 415, not empty_body', async () => {
    const { app } = receiver(async (o) => ({ ...o, status: 'completed' }))
    const { base } = await listenDuringTest(app)
    const answer = await rawPost(base, { 'content-length': String(order.length) }, order)
    expect(answer.status).toBe(415)
    expect(answer.body).toMatchObject({ error: 'unsupported_media_type' })
  })

  it('when Content-Length is 0 and there is no Content-Type, then 400 empty_body', async () => {
    const { app } = receiver(async (o) => ({ ...o, status: 'completed' }))
    const { base } = await listenDuringTest(app)
    const answer = await rawPost(base, { 'content-length': '0' }, '')
    expect(answer.status).toBe(400)
    expect(answer.body).toEqual({ error: 'empty_body', message: 'send the order as a JSON body' })
  })
})

describe('what counts as JSON', () => {
  it('when a Content-Type other than JSON comes with an empty body, then 415, not empty_body', async () => {
    const { app } = receiver(async (o) => ({ ...o, status: 'completed' }))
    const { base } = await listenDuringTest(app)
    const answer = await rawPost(base, { 'content-type': 'text/plain', 'content-length': '0' }, '')
    expect(answer.status).toBe(415)
    expect(answer.body).toEqual({
      error: 'unsupported_media_type',
      message: 'send the order as application/json',
    })
  })
})

describe('GET /health', () => {
  it('when asked, then plain text OK, with no X-Powered-By telling what serves it', async () => {
    const { app } = receiver(async (o) => ({ ...o, status: 'completed' }))
    const res = await request(app).get('/health')
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    expect(res.headers['x-powered-by']).toBeUndefined()
  })
})
