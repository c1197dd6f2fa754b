import { randomUUID } from 'node:crypto'
import type { Express } from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import type { PublishOptions, PublishOrder } from '../src/message.ts'
import { PUBLISH_FAILED } from '../src/retries.ts'
import { listen } from './http-client.ts'
import { timesQueued, useLocalAws } from './local-aws.ts'
import { orderBody } from './order-body.ts'
import { receiverApp } from './receiver-app.ts'

const local = useLocalAws()

// How many messages of the order the queue holds, after a barrier order published by `app`.
async function queuedOnce(app: Express, orderId: string) {
  const barrier = randomUUID()
  await request(app).post('/orders/async').send(orderBody(barrier))
  return timesQueued(local, orderId, barrier)
}

describe('POST /orders/async with the orders table', () => {
  it('when orders are accepted, then each 202 points to a status URL that answers at once, never 404', async () => {
    const { app } = receiverApp(local)
    const { base, close } = await listen(app)
    try {
      const ids = Array.from({ length: 40 }, () => randomUUID())
      const answers = await Promise.all(
        ids.map(async (id) => {
          const accepted = await fetch(`${base}/orders/async`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(orderBody(id)),
          })
          const location = accepted.headers.get('location') ?? ''
          const status = await fetch(`${base}${location}`)
          return { accepted: accepted.status, body: await accepted.json(), location, status }
        }),
      )
      for (const [i, answer] of answers.entries()) {
        expect(answer.accepted).toBe(202)
        expect(answer.location).toBe(`/orders/${ids[i]}`)
        expect(answer.body).toEqual({
          order_id: ids[i],
          status: 'pending',
          message_id: expect.any(String),
          status_url: `/orders/${ids[i]}`,
        })
        expect(answer.status.status).toBe(200)
        expect(await answer.status.json()).toMatchObject({ order_id: ids[i], status: 'pending' })
      }
    } finally {
      await close()
    }
  })

  it('when the same order comes again before anything shows it reached the topic, then 409 order_in_progress with its Location, and nothing more is published', async () => {
    const { app, published } = receiverApp(local)
    const body = orderBody()
    expect((await request(app).post('/orders/async').send(body)).status).toBe(202)

    const again = await request(app).post('/orders/async').send(body)
    expect(again.status).toBe(409)
    expect(again.body).toEqual({
      error: 'order_in_progress',
      message: expect.any(String),
      status_url: `/orders/${body.order_id}`,
    })
    expect(again.headers.location).toBe(`/orders/${body.order_id}`)
    expect(Number(again.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(published(body.order_id)).toBe(1)
  })

  it('when the same order comes again after the processor claimed it, then 202 with the same Location and message id, and nothing more is published', async () => {
    const { app, records, published, metrics } = receiverApp(local)
    const body = orderBody()
    const first = await request(app).post('/orders/async').send(body)
    const messageId = first.body.message_id as string
    const claim = await records.claim({
      orderId: body.order_id,
      owner: 'processor-under-test',
      leaseMs: 30_000,
      messageId,
    })
    expect(claim.kind).toBe('claimed')

    const again = await request(app).post('/orders/async').send(body)
    expect(again.status).toBe(202)
    expect(again.headers.location).toBe(first.headers.location)
    expect(again.body).toEqual({ ...first.body, status: 'processing' })
    expect(published(body.order_id)).toBe(1)
    expect(await queuedOnce(app, body.order_id)).toBe(1)
    const text = await metrics.registry.metrics()
    expect(text).toContain(
      'orders_already_recorded_total{mode="async",reason="retry_same_content"} 1',
    )
  })

  it('when the same order comes again once it is completed, then 202 says completed and nothing is published', async () => {
    const { app, records, published } = receiverApp(local)
    const body = orderBody()
    const first = await request(app).post('/orders/async').send(body)
    const owner = 'processor-under-test'
    await records.claim({
      orderId: body.order_id,
      owner,
      leaseMs: 30_000,
      messageId: first.body.message_id,
    })
    expect(await records.complete({ orderId: body.order_id, owner })).toEqual({ kind: 'completed' })

    const again = await request(app).post('/orders/async').send(body)
    expect(again.status).toBe(202)
    expect(again.body).toMatchObject({ status: 'completed', message_id: first.body.message_id })
    expect(published(body.order_id)).toBe(1)
  })

  it('when the first publish failed, then the record is marked and the retry publishes at once', async () => {
    const fails: PublishOrder = () => Promise.reject(new Error('SNS is away'))
    const failing = receiverApp(local, { publishOrder: fails })
    const { app, records, published } = receiverApp(local)
    const body = orderBody()

    const first = await request(failing.app).post('/orders/async').send(body)
    expect(first.status).toBe(503)
    expect(first.body.error).toBe('publish_failed')
    expect((await records.get(body.order_id))?.lastError).toBe(PUBLISH_FAILED)

    const again = await request(app).post('/orders/async').send(body)
    expect(again.status).toBe(202)
    expect(again.headers.location).toBe(`/orders/${body.order_id}`)
    expect(published(body.order_id)).toBe(1)
    expect(await timesQueued(local, body.order_id, body.order_id)).toBe(1)
  })

  it('when nothing shows the order reached the topic once the publish window has passed, then the retry publishes it again', async () => {
    // As if the receiver had died between its PutItem and its publish: nothing marks the record.
    const { app, published } = receiverApp(local, { publishWindowMs: 300 })
    const body = orderBody()
    expect((await request(app).post('/orders/async').send(body)).status).toBe(202)

    // Each early retry is told to wait (409) and publishes nothing; the first after the window does.
    await expect
      .poll(async () => (await request(app).post('/orders/async').send(body)).status, {
        timeout: 5000,
        interval: 100,
      })
      .toBe(202)
    expect(published(body.order_id)).toBe(2)
  })

  it('when another order reuses an accepted order_id, then 409 order_conflict and nothing is published for it', async () => {
    const { app, published, metrics } = receiverApp(local)
    const body = orderBody()
    const first = await request(app).post('/orders/async').send(body)
    expect(first.status).toBe(202)

    const other = { ...body, customer_id: 999 }
    const conflict = await request(app).post('/orders/async').send(other)
    expect(conflict.status).toBe(409)
    expect(conflict.body).toEqual({ error: 'order_conflict', message: expect.any(String) })
    expect(conflict.headers.location).toBeUndefined()
    expect(published(body.order_id)).toBe(1)
    expect(await queuedOnce(app, body.order_id)).toBe(1)
    const text = await metrics.registry.metrics()
    expect(text).toContain('orders_already_recorded_total{mode="async",reason="conflict"} 1')
    expect(text).toContain('orders_rejected_total{reason="order_conflict"} 1')
  })

  it('when the same content arrives with its fields and items in another order, then it is the same order', async () => {
    const { app } = receiverApp(local)
    const orderId = randomUUID()
    const first = {
      order_id: orderId,
      customer_id: 5,
      items: [{ product_id: 'A', quantity: 2, price: 3 }],
    }
    expect((await request(app).post('/orders/async').send(first)).status).toBe(202)
    const reordered = {
      items: [{ price: 3, quantity: 2, product_id: 'A', note: 'dropped by the schema' }],
      customer_id: 5,
      order_id: orderId,
    }
    expect((await request(app).post('/orders/async').send(reordered)).body.error).toBe(
      'order_in_progress',
    )
  })

  it('when orders are recorded, then one store request per new order is timed as record, ok', async () => {
    const { app, metrics } = receiverApp(local)
    await Promise.all(
      Array.from({ length: 3 }, () => request(app).post('/orders/async').send(orderBody())),
    )
    const text = await metrics.registry.metrics()
    expect(text).toContain(
      'orders_store_request_duration_seconds_count{operation="record",outcome="ok"} 3',
    )
  })

  it.each(['sync', 'async', '.', '..'])(
    'when the order_id is %j, which its status URL could not reach, then 400 invalid_order',
    async (orderId) => {
      const { app, published } = receiverApp(local)
      const res = await request(app).post('/orders/async').send(orderBody(orderId))
      expect(res.status).toBe(400)
      expect(res.body).toEqual({
        error: 'invalid_order',
        message: 'the order is not valid',
        issues: [{ path: 'order_id', message: 'is reserved: its status URL would not reach it' }],
      })
      expect(published(orderId)).toBe(0)
    },
  )
})

describe('the publish of a recorded order', () => {
  it('when an order is accepted, then its publish is told the request arrived before its record was written', async () => {
    const plain = receiverApp(local)
    let recordStarted = Number.NaN
    const told: PublishOptions[] = []
    const records = {
      ...plain.records,
      record: (input: Parameters<typeof plain.records.record>[0]) => {
        recordStarted = performance.now()
        return plain.records.record(input)
      },
    }
    const publishOrder: PublishOrder = async (order, options = {}) => {
      told.push(options)
      return { messageId: order.order_id }
    }
    const { app } = receiverApp(local, { records, publishOrder })

    expect((await request(app).post('/orders/async').send(orderBody())).status).toBe(202)
    // The batcher counts its linger from that moment, so the write and the linger overlap.
    expect(told).toEqual([{ arrivedAt: expect.any(Number), moreOnTheWay: false }])
    expect(told[0]?.arrivedAt).toBeLessThanOrEqual(recordStarted)
  })

  it('when another order is still being recorded, then the publish is told more are on their way', async () => {
    const plain = receiverApp(local)
    const [early, late] = [orderBody(), orderBody()]
    let lateRecording = () => {}
    const lateStarted = new Promise<void>((resolve) => {
      lateRecording = resolve
    })
    let releaseLate = () => {}
    const earlyPublished = new Promise<void>((resolve) => {
      releaseLate = resolve
    })
    const records = {
      ...plain.records,
      record: async (input: Parameters<typeof plain.records.record>[0]) => {
        if (input.orderId === late.order_id) {
          lateRecording()
          await earlyPublished
        }
        return plain.records.record(input)
      },
    }
    const told = new Map<string, boolean | undefined>()
    const publishOrder: PublishOrder = async (order, options = {}) => {
      told.set(order.order_id, options.moreOnTheWay)
      if (order.order_id === early.order_id) releaseLate()
      return { messageId: order.order_id }
    }
    const { app } = receiverApp(local, { records, publishOrder })

    const lateAnswer = request(app)
      .post('/orders/async')
      .send(late)
      .then((res) => res.status)
    await lateStarted
    expect((await request(app).post('/orders/async').send(early)).status).toBe(202)
    expect(await lateAnswer).toBe(202)
    expect(told).toEqual(
      new Map([
        [early.order_id, true],
        [late.order_id, false],
      ]),
    )
  })
})
