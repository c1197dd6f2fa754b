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
  const open = (count: number) => {
    for (const release of gates.splice(0, count)) release()
  }
  const openAll = () => open(gates.length)
  return { handleMessage, received, open, openAll }
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

// Ten message bodies, m<from> onwards: one full receive.
const tenBodies = (from: number) => Array.from({ length: 10 }, (_, i) => `m${from + i}`)

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
      // The budget: 2 slots and 2 messages ahead of them.
      expect(asked(endpoint)).toEqual([4, 3, 4])
    },
  )

  it('when every slot is busy, then received messages wait ahead and start as slots free, first in first out, with no receive between', async () => {
    const endpoint = idleAfter({ bodies: tenBodies(0) }, { bodies: tenBodies(10) })
    const handler = gatedHandler()
    const { pool } = poolOn(endpoint, handler.handleMessage, 10)
    await expect.poll(() => endpoint.receives.length).toBe(2)
    await expect.poll(() => handler.received.length).toBe(10)

    handler.open(5)
    await expect.poll(() => handler.received.length).toBe(15)
    expect(pool.busy).toBe(10)
    // Five free of the budget is no whole batch while five more wait ahead.
    await nextTurn()
    expect(asked(endpoint)).toEqual([10, 10])

    handler.openAll()
    await expect.poll(() => endpoint.receives.length).toBe(3)
    expect(asked(endpoint)).toEqual([10, 10, 10])
    expect(handler.received.map((m) => m.Body)).toEqual([...tenBodies(0), ...tenBodies(10)])
    handler.openAll()
  })

  it('when the last message ahead starts, then the next receive takes what is free without waiting for a batch', async () => {
    const endpoint = idleAfter({ bodies: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'] })
    const handler = gatedHandler()
    poolOn(endpoint, handler.handleMessage, 3)
    await expect.poll(() => handler.received.length).toBe(3)
    expect(asked(endpoint)).toEqual([6])

    handler.open(3)
    await expect.poll(() => handler.received.length).toBe(6)
    // Three of the six free, and nothing left ahead: no slot should idle for the other three.
    await expect.poll(() => asked(endpoint)).toEqual([6, 3])
    handler.openAll()
  })

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

  it('when messages wait ahead at the drain, then they are handed back at once, ten to a call, not run', async () => {
    const receives = [0, 10, 20, 30].map((from) => ({ bodies: tenBodies(from) }))
    const endpoint = scriptedSqs({ receives })
    const handler = gatedHandler()
    const { pool } = poolOn(endpoint, handler.handleMessage, 20)
    await expect.poll(() => endpoint.receives.length).toBe(4)
    await expect.poll(() => handler.received.length).toBe(20)

    const draining = pool.drain()
    await expect.poll(() => endpoint.changes.length).toBe(2)
    const handedBack = endpoint.changes.map(
      (input) => input.Entries as { VisibilityTimeout: number }[],
    )
    expect(handedBack.map((entries) => entries.length)).toEqual([10, 10])
    expect(handedBack.flat().every((entry) => entry.VisibilityTimeout === 0)).toBe(true)
    handler.openAll()
    await draining
    expect(handler.received.map((m) => m.Body)).toEqual([...tenBodies(0), ...tenBodies(10)])
    expect(endpoint.deletes.flatMap((call) => call.entries)).toHaveLength(20)
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
