import { randomUUID } from 'node:crypto'
import { newOrder, type Order } from '@orders/order/order'
import { createPayment } from '@orders/order/payment'
import request from 'supertest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp } from '../src/app.ts'
import { createPublishBatcher } from '../src/batcher.ts'
import { messageBytes, orderMessage } from '../src/message.ts'
import { createMetrics } from '../src/metrics.ts'
import { createOrderPublisher } from '../src/publisher.ts'
import { capturedLogs } from './captured-logs.ts'
import { recordsOn, useLocalAws } from './local-aws.ts'
import { recordingSns, type SnsCall } from './sns-calls.ts'

// The batcher's bounds, each at its edge: the size limit, the linger and the drain.
const local = useLocalAws()

afterEach(() => {
  vi.useRealTimers()
})

type Sns = ReturnType<typeof recordingSns>['sns']

// The batcher's timers and the clock it reads arrivals against; SNS and its sockets stay real.
const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })

function batcherOn(sns: Sns, lingerMs: number, maxBatchBytes?: number) {
  return createPublishBatcher({
    sns,
    topicArn: local.queues.topicArn,
    timeoutMs: 2000,
    lingerMs,
    metrics: createMetrics(),
    publishAlone: createOrderPublisher({ sns, topicArn: local.queues.topicArn, timeoutMs: 2000 }),
    maxBatchBytes,
  })
}

// Orders of one size to the byte: ids of one length, the same items, the same instant.
const at = new Date()
const anOrder = () =>
  newOrder(
    { order_id: randomUUID(), customer_id: 8, items: [{ product_id: 'B', quantity: 1, price: 4 }] },
    at,
  )
const sizeOf = (order: Order) => messageBytes(orderMessage(order))

const entriesPerCall = (calls: SnsCall[]) =>
  calls.map((call) =>
    call.command === 'PublishBatchCommand'
      ? (call.input.PublishBatchRequestEntries as unknown[]).length
      : 1,
  )

describe('the batch size limit', () => {
  it('when orders fill the limit exactly, then they share a batch; one byte more starts the next', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    const orders = Array.from({ length: 4 }, anOrder)
    const batcher = batcherOn(sns, 60_000, 2 * sizeOf(orders[0] as Order))
    const published = Promise.all(orders.map((order) => batcher.publishOrder(order)))
    await batcher.drain()

    expect(new Set((await published).map((result) => result.messageId)).size).toBe(4)
    expect(entriesPerCall(calls)).toEqual([2, 2])
  })

  it('when ten orders wait, then the tenth sends the batch at once and the eleventh starts another', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    const batcher = batcherOn(sns, 60_000)
    const published = Promise.all(
      Array.from({ length: 11 }, anOrder).map((order) => batcher.publishOrder(order)),
    )
    expect(entriesPerCall(calls)).toEqual([10])
    await batcher.drain()
    await published
    expect(entriesPerCall(calls)).toEqual([10, 1])
    expect(calls.map((call) => call.command)).toEqual(['PublishBatchCommand', 'PublishCommand'])
  })
})

describe('the linger', () => {
  it('when orders wait, then their batch goes out lingerMs after the first arrived, not before', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    fakeClock()
    const batcher = batcherOn(sns, 50)
    const first = batcher.publishOrder(anOrder())
    await vi.advanceTimersByTimeAsync(30)
    const second = batcher.publishOrder(anOrder())
    await vi.advanceTimersByTimeAsync(19)
    expect(calls).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(entriesPerCall(calls)).toEqual([2])
    vi.useRealTimers()
    await Promise.all([first, second])
  })

  it('when a full batch went out, then the next order lingers from its own arrival', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    fakeClock()
    const batcher = batcherOn(sns, 50)
    const full = Promise.all(
      Array.from({ length: 10 }, anOrder).map((o) => batcher.publishOrder(o)),
    )
    await vi.advanceTimersByTimeAsync(30)
    const late = batcher.publishOrder(anOrder())
    await vi.advanceTimersByTimeAsync(49)
    expect(entriesPerCall(calls)).toEqual([10])
    await vi.advanceTimersByTimeAsync(1)
    expect(entriesPerCall(calls)).toEqual([10, 1])
    vi.useRealTimers()
    await Promise.all([full, late])
  })
})

describe('the linger, counted from the request', () => {
  it('when the request arrived lingerMs ago or more, then its order goes out at once', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    fakeClock()
    const batcher = batcherOn(sns, 50)
    const recorded = batcher.publishOrder(anOrder(), { arrivedAt: performance.now() - 50 })
    expect(entriesPerCall(calls)).toEqual([1])
    vi.useRealTimers()
    await recorded
  })

  it('when the request arrived part of the linger ago, then its order waits only the rest', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    fakeClock()
    const batcher = batcherOn(sns, 50)
    const recorded = batcher.publishOrder(anOrder(), { arrivedAt: performance.now() - 30 })
    await vi.advanceTimersByTimeAsync(19)
    expect(calls).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(entriesPerCall(calls)).toEqual([1])
    vi.useRealTimers()
    await recorded
  })

  it('when more orders are on their way, then an order whose linger is spent waits lingerMs for them', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    fakeClock()
    const batcher = batcherOn(sns, 50)
    const arrivedAt = performance.now() - 80
    const first = batcher.publishOrder(anOrder(), { arrivedAt, moreOnTheWay: true })
    await vi.advanceTimersByTimeAsync(30)
    const second = batcher.publishOrder(anOrder(), { arrivedAt })
    await vi.advanceTimersByTimeAsync(19)
    expect(calls).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(entriesPerCall(calls)).toEqual([2])
    vi.useRealTimers()
    await Promise.all([first, second])
  })
})

describe('the drain', () => {
  it('when drained, then the drain ends only once every order it sent has its answer', async () => {
    const { sns } = recordingSns(local.aws.env)
    const batcher = batcherOn(sns, 60_000)
    const answered: boolean[] = []
    for (let i = 0; i < 3; i++) {
      const at = answered.push(false) - 1
      void batcher.publishOrder(anOrder()).then(() => {
        answered[at] = true
      })
    }
    await batcher.drain()
    expect(answered).toEqual([true, true, true])
  })

  it('when drained, then an order arriving afterwards is sent at once, not after the linger', async () => {
    const { sns, calls } = recordingSns(local.aws.env)
    const batcher = batcherOn(sns, 60_000)
    await batcher.drain()
    const late = batcher.publishOrder(anOrder())
    expect(entriesPerCall(calls)).toEqual([1])
    await expect(late).resolves.toEqual({ messageId: expect.any(String) })
  })
})

describe('what the log says of a refused entry', () => {
  function appOn(sns: Sns) {
    const logs = capturedLogs()
    const metrics = createMetrics()
    const app = createApp({
      records: recordsOn(local, metrics),
      publishOrder: batcherOn(sns, 60_000).publishOrder,
      processOrder: createPayment(1),
      logger: logs.logger,
      metrics,
      syncConcurrency: 1,
    })
    return { app, ...logs }
  }
  const body = () => ({
    order_id: randomUUID(),
    customer_id: 8,
    items: [{ product_id: 'B', quantity: 1, price: 4 }],
  })
  const postTen = (app: ReturnType<typeof appOn>['app']) =>
    Promise.all(Array.from({ length: 10 }, () => request(app).post('/orders/async').send(body())))

  it.each([
    [
      'with its code and message',
      { Code: 'InternalError', Message: 'injected' },
      'SNS refused the entry: InternalError injected',
    ],
    ['without a message', { Code: 'Throttled' }, 'SNS refused the entry: Throttled '],
  ])(
    'when SNS refuses every entry %s, then each 503 is logged with what SNS said',
    async (_how, fault, message) => {
      const { sns } = recordingSns(local.aws.env, (call, output) => {
        const entries = call.input.PublishBatchRequestEntries as { Id: string }[]
        output.Successful = undefined
        output.Failed = entries.map((entry) => ({ Id: entry.Id, SenderFault: false, ...fault }))
      })
      const { app, lines } = appOn(sns)
      const responses = await postTen(app)
      expect(responses.map((res) => res.status)).toEqual(Array(10).fill(503))
      const failed = lines.filter((line) => line.msg === 'publish failed')
      expect(failed.map((line) => (line.err as { message: string }).message)).toEqual(
        Array(10).fill(message),
      )
    },
  )

  it('when SNS answers a batch without a word about one entry, then that order fails, and says so', async () => {
    const { sns } = recordingSns(local.aws.env, (_call, output) => {
      output.Successful = output.Successful?.filter((entry) => entry.Id !== '7')
      // An answer may leave out the list it has nothing for.
      output.Failed = undefined
    })
    const { app, lines } = appOn(sns)
    const responses = await postTen(app)
    expect(responses.map((res) => res.status).toSorted()).toEqual([...Array(9).fill(202), 503])
    expect(lines.filter((line) => line.msg === 'publish failed')).toEqual([
      expect.objectContaining({
        err: expect.objectContaining({
          message: 'SNS answered the batch without a result for this entry',
        }),
      }),
    ])
  })

  it('when SNS lists an entry both as published and as failed, then it is not accepted', async () => {
    const { sns } = recordingSns(local.aws.env, (_call, output) => {
      output.Failed = [{ Id: '2', Code: 'InternalError', Message: 'both', SenderFault: false }]
    })
    const { app } = appOn(sns)
    const responses = await postTen(app)
    expect(responses.map((res) => res.status).toSorted()).toEqual([...Array(9).fill(202), 503])
  })
})
