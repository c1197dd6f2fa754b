import request from 'supertest'
import { describe, expect, it } from 'vitest'
import type { PublishOrder } from '../src/message.ts'
import type { ReceiverMetrics } from '../src/metrics.ts'
import { capturedLogs } from './captured-logs.ts'
import { useLocalAws } from './local-aws.ts'
import { orderBody } from './order-body.ts'
import { receiverApp } from './receiver-app.ts'

// orders_already_recorded_total, by mode and reason: why an order_id the table knew was answered
// as it was. Each path counts its own reason once, and nothing else.
const local = useLocalAws()

// Claims the receiver made of the table, whatever their outcome.
async function claims(metrics: ReceiverMetrics) {
  const text = await metrics.registry.metrics()
  const counts = text.match(
    /^orders_store_request_duration_seconds_count\{operation="claim",[^}]*\} \d+$/gm,
  )
  return (counts ?? []).reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

async function reasons(metrics: ReceiverMetrics) {
  const { values } = await metrics.alreadyRecorded.get()
  return values.map(({ labels, value }) => ({ ...labels, value }))
}

// An order the processor has claimed under its own lease.
async function claimedByProcessor(app: ReturnType<typeof receiverApp>, body: object) {
  const accepted = await request(app.app).post('/orders/async').send(body)
  expect(accepted.status).toBe(202)
  const claim = await app.records.claim({
    orderId: accepted.body.order_id,
    owner: 'processor-under-test',
    leaseMs: 30_000,
    messageId: accepted.body.message_id,
  })
  expect(claim.kind).toBe('claimed')
}

describe('orders_already_recorded_total', () => {
  it('when an async order comes again while its first request may still be publishing, then async in_progress', async () => {
    const receiver = receiverApp(local)
    const body = orderBody()
    await request(receiver.app).post('/orders/async').send(body)
    expect((await request(receiver.app).post('/orders/async').send(body)).status).toBe(409)
    expect(await reasons(receiver.metrics)).toEqual([
      { mode: 'async', reason: 'in_progress', value: 1 },
    ])
  })

  it('when an async order whose publish failed comes again, then async retry_resumed', async () => {
    const fails: PublishOrder = () => Promise.reject(new Error('SNS is away'))
    const receiver = receiverApp(local)
    const body = orderBody()
    const failed = await request(receiverApp(local, { publishOrder: fails }).app)
      .post('/orders/async')
      .send(body)
    expect(failed.status).toBe(503)
    expect((await request(receiver.app).post('/orders/async').send(body)).status).toBe(202)
    expect(await reasons(receiver.metrics)).toEqual([
      { mode: 'async', reason: 'retry_resumed', value: 1 },
    ])
  })

  it('when a new async order is accepted, then nothing is counted', async () => {
    const receiver = receiverApp(local)
    expect((await request(receiver.app).post('/orders/async').send(orderBody())).status).toBe(202)
    expect(await reasons(receiver.metrics)).toEqual([])
  })

  it('when a sync order reuses an id with other content, then sync conflict', async () => {
    const receiver = receiverApp(local)
    const body = orderBody()
    await request(receiver.app).post('/orders/async').send(body)
    const other = { ...body, customer_id: body.customer_id + 1 }
    expect((await request(receiver.app).post('/orders/sync').send(other)).status).toBe(409)
    expect(await reasons(receiver.metrics)).toEqual([
      { mode: 'sync', reason: 'conflict', value: 1 },
    ])
  })

  it('when the processor holds the order a sync request names, then sync in_progress', async () => {
    const receiver = receiverApp(local)
    const body = orderBody()
    await claimedByProcessor(receiver, body)
    const held = await request(receiver.app).post('/orders/sync').send(body)
    // Asked again when the processor's 30 s lease ends, not at once.
    expect([held.status, held.headers['retry-after']]).toEqual([409, '30'])
    expect(await reasons(receiver.metrics)).toEqual([
      { mode: 'sync', reason: 'in_progress', value: 1 },
    ])
  })

  it('when a sync request pays an async order nobody took, then sync retry_resumed', async () => {
    const receiver = receiverApp(local)
    const body = orderBody()
    await request(receiver.app).post('/orders/async').send(body)
    expect((await request(receiver.app).post('/orders/sync').send(body)).status).toBe(200)
    expect(await reasons(receiver.metrics)).toEqual([
      { mode: 'sync', reason: 'retry_resumed', value: 1 },
    ])
  })

  it('when a new sync order is paid, or one that ended failed is asked for, then nothing is counted', async () => {
    const receiver = receiverApp(local)
    expect((await request(receiver.app).post('/orders/sync').send(orderBody())).status).toBe(200)
    const body = orderBody()
    await request(receiver.app).post('/orders/async').send(body)
    await receiver.records.fail({ orderId: body.order_id, errorCode: 'poison' })
    const failed = await request(receiver.app).post('/orders/sync').send(body)
    expect([failed.status, failed.headers.location]).toEqual([409, `/orders/${body.order_id}`])
    expect(await reasons(receiver.metrics)).toEqual([])
    expect(await claims(receiver.metrics)).toBe(1)
  })

  it('when a completed sync order comes again, then its record answers it: no claim, not accepted twice, one line', async () => {
    const logs = capturedLogs()
    const receiver = receiverApp(local, { logger: logs.logger })
    const body = orderBody()
    const first = await request(receiver.app).post('/orders/sync').send(body)
    const again = await request(receiver.app).post('/orders/sync').send(body)
    expect(again.body).toEqual(first.body)
    expect(await claims(receiver.metrics)).toBe(1)
    const { values } = await receiver.metrics.accepted.get()
    expect(values.map(({ labels, value }) => ({ ...labels, value }))).toEqual([
      { mode: 'sync', value: 1 },
    ])
    expect(logs.lines.map((line) => line.msg)).toEqual(['order completed'])
  })
})
