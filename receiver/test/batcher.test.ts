import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:net'
import { newOrder, type Order } from '@orders/order/order'
import { createPayment } from '@orders/order/payment'
import { pino } from 'pino'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { MAX_BATCH_BYTES } from '../src/batcher.ts'
import type { Publisher } from '../src/message.ts'
import { messageBytes, orderMessage } from '../src/message.ts'
import { createMetrics } from '../src/metrics.ts'
import { createPublisher } from '../src/publisher.ts'
import { queuedMessages, recordsOn, useLocalAws } from './local-aws.ts'
import { recordingSns } from './sns-calls.ts'

const local = useLocalAws()
const queuedMessageIds = (count: number) => queuedMessages(local, count)

type Sns = ReturnType<typeof recordingSns>['sns']

function publisherOn(sns: Sns, lingerMs: number, timeoutMs = 2000): Publisher {
  return createPublisher({
    sns,
    topicArn: local.queues.topicArn,
    timeoutMs,
    lingerMs,
    metrics: createMetrics(),
  })
}

function appOn(publisher: Publisher) {
  return createApp({
    records: recordsOn(local),
    publishOrder: publisher.publishOrder,
    processOrder: createPayment(1),
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    syncConcurrency: 1,
  })
}

const orderBody = () => ({
  order_id: randomUUID(),
  customer_id: 7,
  items: [{ product_id: 'SKU-001', quantity: 1, price: 9.5 }],
})

const postAll = (app: ReturnType<typeof appOn>, bodies: ReturnType<typeof orderBody>[]) =>
  Promise.all(bodies.map((body) => request(app).post('/orders/async').send(body)))

// A linger of a minute means only a full batch (or a drain) can send: a test that passes did not
// wait out a timer.
describe('publish batching', () => {
  it('when 10 orders arrive together, then one PublishBatch carries them and each 202 names its own MessageId', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    const bodies = Array.from({ length: 10 }, orderBody)
    const responses = await postAll(appOn(publisherOn(sns, 60_000)), bodies)

    expect(responses.map((res) => res.status)).toEqual(Array(10).fill(202))
    expect(calls.map((call) => call.command)).toEqual(['PublishBatchCommand'])
    const messageIds = responses.map((res) => res.body.message_id as string)
    expect(new Set(messageIds).size).toBe(10)
    const queued = await queuedMessageIds(10)
    for (const [i, body] of bodies.entries()) {
      expect(queued.get(body.order_id)).toBe(messageIds[i])
    }
  })

  it('when SNS fails one entry of the batch, then that order gets 503 + Retry-After and the other nine 202', async () => {
    const bodies = Array.from({ length: 10 }, orderBody)
    const victim = bodies[3]?.order_id ?? ''
    const { sns } = recordingSns(local.aws.env, (call, output) => {
      const entries = call.input.PublishBatchRequestEntries as { Id: string; Message: string }[]
      const id = entries.find((entry) => entry.Message.includes(victim))?.Id
      output.Successful = output.Successful?.filter((entry) => entry.Id !== id)
      output.Failed = [{ Id: id, Code: 'InternalError', Message: 'injected', SenderFault: false }]
    })
    const responses = await postAll(appOn(publisherOn(sns, 60_000)), bodies)

    const failed = responses.filter((res) => res.status === 503)
    expect(failed.map((res) => res.headers['retry-after'])).toEqual(['5'])
    expect(responses[3]?.status).toBe(503)
    expect(responses.filter((res) => res.status === 202)).toHaveLength(9)
    const accepted = responses.filter((res) => res.status === 202).map((res) => res.body.order_id)
    expect(accepted).not.toContain(victim)
  })

  it('when a PublishBatch call errors, then exactly the orders it carried get 503', async () => {
    const { sns, calls } = recordingSns(local.aws.env, (_call, _output, nth) => {
      if (nth === 1) throw new Error('connection reset')
    })
    const app = appOn(publisherOn(sns, 60_000))
    const first = await postAll(app, Array.from({ length: 10 }, orderBody))
    const second = await postAll(app, Array.from({ length: 10 }, orderBody))

    expect(calls).toHaveLength(2)
    expect(first.map((res) => res.status)).toEqual(Array(10).fill(503))
    expect(second.map((res) => res.status)).toEqual(Array(10).fill(202))
  })

  it('when the PublishBatch call outlives the publish timeout, then every order it carried fails', async () => {
    const blackHole: Server = createServer(() => {})
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve))
    const address = blackHole.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const { sns } = recordingSns({ ...local.aws.env, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` })
    try {
      const publisher = publisherOn(sns, 5, 200)
      const orders = Array.from({ length: 3 }, () => newOrder(orderBody()))
      const results = await Promise.allSettled(orders.map((order) => publisher.publishOrder(order)))
      expect(results.map((result) => result.status)).toEqual(Array(3).fill('rejected'))
    } finally {
      sns.destroy()
      blackHole.close()
    }
  })

  it('when the linger ends with one order waiting, then it goes out as a plain Publish', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    const res = await request(appOn(publisherOn(sns, 5)))
      .post('/orders/async')
      .send(orderBody())

    expect(res.status).toBe(202)
    expect(calls.map((call) => call.command)).toEqual(['PublishCommand'])
  })

  it('when PUBLISH_LINGER_MS is 0, then each order goes out alone with Publish', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    const responses = await postAll(appOn(publisherOn(sns, 0)), [orderBody(), orderBody()])

    expect(responses.map((res) => res.status)).toEqual([202, 202])
    expect(calls.map((call) => call.command)).toEqual(['PublishCommand', 'PublishCommand'])
  })

  it('when the orders together would pass 256 KiB, then they are split into batches within it', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    // Larger than any valid order (the schema caps one near 13 KB), built by hand to reach the limit.
    const big = () =>
      newOrder({
        ...orderBody(),
        items: [{ product_id: 'x'.repeat(40_000), quantity: 1, price: 1 }],
      })
    const orders = Array.from({ length: 10 }, big)
    const publisher = publisherOn(sns, 50)
    const results = await Promise.all(orders.map((order) => publisher.publishOrder(order)))

    expect(new Set(results.map((result) => result.messageId)).size).toBe(10)
    const sizes = calls.map((call) =>
      (call.input.PublishBatchRequestEntries as ReturnType<typeof orderMessage>[])
        .map(messageBytes)
        .reduce((sum, bytes) => sum + bytes, 0),
    )
    expect(
      calls.map((call) => (call.input.PublishBatchRequestEntries as unknown[]).length),
    ).toEqual([6, 4])
    for (const size of sizes) expect(size).toBeLessThanOrEqual(MAX_BATCH_BYTES)
    expect(messageBytes(orderMessage(orders[0] as Order)) * 7).toBeGreaterThan(MAX_BATCH_BYTES)
  })

  it('when drained, then orders waiting out the linger are sent at once', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    const publisher = publisherOn(sns, 60_000)
    const published = Promise.all(
      Array.from({ length: 3 }, () => publisher.publishOrder(newOrder(orderBody()))),
    )
    expect(calls).toHaveLength(0)
    await publisher.drain()

    expect(calls.map((call) => call.command)).toEqual(['PublishBatchCommand'])
    expect(new Set((await published).map((result) => result.messageId)).size).toBe(3)
  })
})
