import { pino } from 'pino'
import type { Counter, Gauge } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { createMetrics } from '../src/metrics.ts'
import { gatedPayment } from './gate.ts'
import { expectOverloaded, listen, postOrder } from './http-client.ts'
import { recordsOn, useLocalAws } from './local-aws.ts'

const value = async (metric: Counter | Gauge, labels: Record<string, string> = {}) => {
  const { values } = await metric.get()
  const found = values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
  return found?.value ?? 0
}

const local = useLocalAws()
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function receiverWith(syncConcurrency: number, syncQueueLimit: number) {
  const payment = gatedPayment()
  const metrics = createMetrics()
  const app = createApp({
    records: recordsOn(local, metrics),
    publishOrder: () => Promise.reject(new Error('not used here')),
    processOrder: payment.processOrder,
    logger: pino({ level: 'silent' }),
    metrics,
    syncConcurrency,
    syncQueueLimit,
  })
  const { base, close, connections } = await listen(app)
  closers.push(close)
  const post = () => postOrder(base, '/orders/sync')
  return { payment, metrics, post, connections }
}

describe('POST /orders/sync under overload', () => {
  it('when a flood exceeds the payment slots and the queue, then the excess gets 503 overloaded at once and the admitted ones 200', async () => {
    const { payment, metrics, post } = await receiverWith(2, 2)
    const flood = Array.from({ length: 7 }, post)

    await expect.poll(() => flood.filter((sent) => sent.answered).length).toBe(3)
    // Answered while every payment is still held at the gate: no slot had freed.
    const shed = flood.filter((sent) => sent.answered)
    for (const { answered } of shed) expectOverloaded(answered)
    // Each admitted order is recorded and claimed before its payment starts.
    await expect.poll(() => payment.started).toHaveLength(2)
    expect(await value(metrics.syncWaiting)).toBe(2)
    expect(await value(metrics.rejected, { reason: 'overloaded' })).toBe(3)

    payment.open()
    const admitted = flood.filter((sent) => !shed.includes(sent))
    const answers = await Promise.all(admitted.map((sent) => sent.answer))
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200])
    expect(payment.started.toSorted()).toEqual(admitted.map((sent) => sent.orderId).toSorted())
    expect(await value(metrics.accepted, { mode: 'sync' })).toBe(4)
  })

  it('when SYNC_QUEUE_LIMIT is 0, then a request finding every slot busy is refused rather than queued', async () => {
    const { payment, post } = await receiverWith(1, 0)
    const first = post()
    await expect.poll(() => payment.started.length).toBe(1)
    expect((await post().answer).status).toBe(503)
    payment.open()
    expect((await first.answer).status).toBe(200)
  })

  it('when clients leave while queued, then their payments never run and their places go to others', async () => {
    const { payment, metrics, post } = await receiverWith(1, 2)
    const paying = post()
    await expect.poll(() => payment.started.length).toBe(1)
    const leaving = [post(), post()]
    await expect.poll(() => value(metrics.syncWaiting)).toBe(2)

    for (const sent of leaving) sent.leave()
    await expect.poll(() => value(metrics.syncAbandoned, { stage: 'waiting' })).toBe(2)
    expect(await value(metrics.syncWaiting)).toBe(0)
    // With the two that left still counted, these would be refused: the queue holds 2.
    const later = [post(), post()]
    await expect.poll(() => value(metrics.syncWaiting)).toBe(2)

    payment.open()
    const answers = await Promise.all([paying, ...later].map((sent) => sent.answer))
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200])
    expect(payment.started).toEqual([paying, ...later].map((sent) => sent.orderId))
    expect(await value(metrics.accepted, { mode: 'sync' })).toBe(3)
    expect(await value(metrics.rejected, { reason: 'overloaded' })).toBe(0)
  })

  it('when a client leaves during its payment, then the payment finishes and is recorded, and keeps its slot until then', async () => {
    const { payment, metrics, post, connections } = await receiverWith(1, 1)
    const leaving = post()
    await expect.poll(() => payment.started.length).toBe(1)
    leaving.leave()
    // The server has seen the connection close, and with it the request's close event.
    await expect.poll(connections).toBe(0)
    expect(await value(metrics.syncInFlight)).toBe(1)

    const next = post()
    await expect.poll(() => value(metrics.syncWaiting)).toBe(1)
    // Still one payment at a time: the one whose client left holds the only slot.
    expect(payment.started).toEqual([leaving.orderId])

    payment.open()
    expect((await next.answer).status).toBe(200)
    expect(payment.started).toEqual([leaving.orderId, next.orderId])
    expect(await value(metrics.accepted, { mode: 'sync' })).toBe(2)
    expect(await value(metrics.syncAbandoned, { stage: 'paying' })).toBe(1)
    expect(await value(metrics.syncAbandoned, { stage: 'waiting' })).toBe(0)
  })
})
