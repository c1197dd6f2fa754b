import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Message } from '@aws-sdk/client-sqs'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createMetrics } from '../../src/core/metrics.ts'
import type { Outcome } from '../../src/core/order-core.ts'
import { createConsumerPool } from '../../src/worker/pool.ts'
import { capturingLogger } from '../log-lines.ts'
import { scriptedSqs } from './scripted-sqs.ts'

// The pool on an in-memory SQS endpoint whose answers the test hands out one by one: what it asks
// for, and what a drain waits for.
afterEach(() => {
  vi.restoreAllMocks()
})

function deferred<T>() {
  let resolve = (_value: T) => {}
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

// Settles each message when the test says so (or at once, when `held` is false).
function gatedHandler(held = true) {
  const received: Message[] = []
  const gates: (() => void)[] = []
  const handleMessage = (message: Message) => {
    received.push(message)
    if (!held) return Promise.resolve<Outcome>({ kind: 'completed', orderId: 'o', durationMs: 1 })
    return new Promise<Outcome>((resolve) => {
      gates.push(() => resolve({ kind: 'completed', orderId: 'o', durationMs: 1 }))
    })
  }
  const openAll = () => {
    for (const open of gates.splice(0)) open()
  }
  return { handleMessage, received, openAll }
}

function poolOn(
  endpoint: ReturnType<typeof scriptedSqs>,
  handleMessage: (message: Message) => Promise<Outcome>,
  concurrency = 2,
) {
  // Half of each backoff bound: a receive failing after the script is retried 50, 100 ms … later.
  vi.spyOn(Math, 'random').mockReturnValue(0.5)
  const { logger, logs } = capturingLogger()
  const pool = createConsumerPool({
    sqs: endpoint.sqs,
    queueUrl: 'http://127.0.0.1:1/000000000000/orders-queue',
    concurrency,
    handleMessage,
    retryDelaySeconds: 0,
    logger,
    metrics: createMetrics(),
  })
  onTestFinished(() => pool.drain())
  pool.start()
  return { pool, logs }
}

const asked = (endpoint: ReturnType<typeof scriptedSqs>) =>
  endpoint.receives.map((input) => input.MaxNumberOfMessages)

describe('the pool and its slots', () => {
  // The last receive stays open, as a long poll on an idle queue does.
  function idleAfter(...answers: ('empty' | 'fail' | { bodies: string[] })[]) {
    const idle = deferred<'empty'>()
    onTestFinished(() => idle.resolve('empty'))
    return scriptedSqs({ receives: [...answers, idle.promise] })
  }

  it.each(['empty', 'fail'] as const)(
    'when a slot frees while a receive is out, then a %s answer gives it back to the next receive',
    async (answer) => {
      const endpoint = idleAfter({ bodies: ['m1'] }, answer)
      const handler = gatedHandler(false)
      poolOn(endpoint, handler.handleMessage)
      await expect.poll(() => endpoint.receives.length).toBe(3)
      expect(asked(endpoint)).toEqual([2, 1, 2])
    },
  )

  it('when the slots outnumber a batch, then no receive asks for more than 10, and none fails for it', async () => {
    const endpoint = idleAfter({ bodies: ['m1'] }, 'empty')
    const handler = gatedHandler()
    const { logs } = poolOn(endpoint, handler.handleMessage, 20)
    await expect.poll(() => endpoint.receives.length).toBe(3)
    expect(asked(endpoint)).toEqual([10, 10, 10])
    expect(logs).toEqual([])
    handler.openAll()
  })
})

describe('draining the pool', () => {
  it('when a message is in flight, then busy counts it and the drain ends only once it is deleted', async () => {
    const endpoint = scriptedSqs({ receives: [{ bodies: ['m1'] }] })
    const handler = gatedHandler()
    const { pool } = poolOn(endpoint, handler.handleMessage)
    await expect.poll(() => handler.received.length).toBe(1)
    expect(pool.busy).toBe(1)

    let drained = false
    const draining = pool.drain().then(() => {
      drained = true
    })
    await nextTurn()
    expect(drained).toBe(false)
    handler.openAll()
    await draining
    expect(pool.busy).toBe(0)
    expect(endpoint.deletes.map((call) => call.entries.length)).toEqual([1])
  })

  it('when a long poll returns during the drain, then its messages are handed back before the drain ends', async () => {
    const lateReceive = deferred<{ bodies: string[] }>()
    const handBack = deferred<'ok'>()
    const endpoint = scriptedSqs({
      receives: [{ bodies: ['m1'] }, lateReceive.promise],
      changes: [handBack.promise],
    })
    const handler = gatedHandler()
    const { pool, logs } = poolOn(endpoint, handler.handleMessage)
    await expect.poll(() => endpoint.receives.length).toBe(2)

    let drained = false
    const draining = pool.drain().then(() => {
      drained = true
    })
    lateReceive.resolve({ bodies: ['m2'] })
    await expect.poll(() => endpoint.changes.length).toBe(1)
    handler.openAll()
    await expect.poll(() => endpoint.deletes.length).toBe(1)
    await nextTurn()
    expect(drained).toBe(false)

    handBack.resolve('ok')
    await draining
    expect(handler.received).toHaveLength(1)
    // An answer without a Failed list hands every message back.
    expect(logs).toEqual([])
    expect(endpoint.changes[0]).toMatchObject({
      Entries: [expect.objectContaining({ Id: '0', VisibilityTimeout: 0 })],
    })
  })

  it('when a visibility change fails, then the line names the operation', async () => {
    const endpoint = scriptedSqs({ receives: [{ bodies: ['m1'] }], changes: ['fail'] })
    const { logs } = poolOn(endpoint, async () => ({ kind: 'poison', reason: 'unreadable' }))
    await expect
      .poll(() => logs.find((line) => line.operation === 'sqs visibility'))
      .toMatchObject({
        msg: 'sqs visibility failing; the messages return when their visibility timeout ends',
        error: 'InternalError: We encountered an internal error.',
      })
  })
})
