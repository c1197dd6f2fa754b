import type { SQSClient } from '@aws-sdk/client-sqs'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createMetrics } from '../../src/core/metrics.ts'
import { createBackoff } from '../../src/worker/backoff.ts'
import { ERROR_LOG_INTERVAL_MS } from '../../src/worker/error-log.ts'
import { createConsumerPool } from '../../src/worker/pool.ts'
import { capturingLogger } from '../log-lines.ts'
import { scriptedSqs } from './scripted-sqs.ts'

// Fake clocks: a test spends no real time waiting, and every delay is read to the millisecond.
const useFakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

function tracked(promise: Promise<void>) {
  const state = { done: false }
  void promise.then(() => {
    state.done = true
  })
  return state
}

// Resolves a wait that should end after exactly `ms`: not a millisecond before.
async function expectWaitOf(wait: Promise<void>, ms: number) {
  const waited = tracked(wait)
  await vi.advanceTimersByTimeAsync(ms - 1)
  expect(waited.done).toBe(false)
  await vi.advanceTimersByTimeAsync(1)
  expect(waited.done).toBe(true)
}

// Half of each bound: 50, 100, 200 ms … up to 10 s.
const half = () => 0.5

describe('receive backoff, waited', () => {
  it('when nothing has failed, then the wait ends at once without a timer', async () => {
    useFakeClock()
    const backoff = createBackoff(half)
    const waited = tracked(backoff.wait())
    expect(vi.getTimerCount()).toBe(0)
    await Promise.resolve()
    expect(waited.done).toBe(true)
  })

  it('when receives keep failing, then each wait doubles: 50, 100, 200, 400 ms', async () => {
    useFakeClock()
    const backoff = createBackoff(half)
    for (const ms of [50, 100, 200, 400]) {
      backoff.failed()
      await expectWaitOf(backoff.wait(), ms)
    }
  })

  it('when a receive succeeds after failures, then no wait, and the next failure starts at 50 ms', async () => {
    useFakeClock()
    const backoff = createBackoff(half)
    for (let i = 0; i < 5; i++) backoff.failed()
    backoff.succeeded()
    const waited = tracked(backoff.wait())
    await Promise.resolve()
    expect(waited.done).toBe(true)
    backoff.failed()
    await expectWaitOf(backoff.wait(), 50)
  })

  it('when the processor drains during a wait, then cancel ends it at once and leaves no timer', async () => {
    useFakeClock()
    const backoff = createBackoff(half)
    for (let i = 0; i < 8; i++) backoff.failed()
    const waited = tracked(backoff.wait())
    expect(vi.getTimerCount()).toBe(1)
    backoff.cancel()
    await Promise.resolve()
    expect(waited.done).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })
})

function poolOn(sqs: SQSClient, start = true) {
  const { logger, logs } = capturingLogger()
  const metrics = createMetrics()
  const pool = createConsumerPool({
    sqs,
    queueUrl: 'http://127.0.0.1:1/000000000000/orders-queue',
    concurrency: 2,
    handleMessage: () => Promise.reject(new Error('no message is ever received here')),
    retryDelaySeconds: 0,
    logger,
    metrics,
  })
  onTestFinished(() => pool.drain())
  if (start) pool.start()
  const receiveErrors = async () =>
    (await metrics.receiveErrors.get()).values[0]?.value ?? Number.NaN
  return { pool, logs, receiveErrors }
}

// The gaps between receives: each is the backoff's delay, plus the 1 ms that Node (and the fake
// clock with it) makes of the setTimeout(poll, 0) sqs-consumer schedules after a receive.
function gapsOf(receivedAt: number[]) {
  return receivedAt.slice(1).map((at, i) => at - (receivedAt[i] ?? at))
}
const about = (delays: number[]) => delays.map((ms) => expect.toBeOneOf([ms, ms + 1]))

const firstFailure = {
  msg: 'sqs receive failing; retrying with backoff',
  operation: 'sqs receive',
  error: 'SQSError (InternalError): SQS receive message failed: We encountered an internal error.',
}

describe('a pool whose receives fail', () => {
  it('when every receive fails, then the pool waits longer and longer between them', async () => {
    vi.spyOn(Math, 'random').mockImplementation(half)
    const endpoint = scriptedSqs()
    await endpoint.warm()
    useFakeClock()
    const t0 = Date.now()
    const { logs, receiveErrors } = poolOn(endpoint.sqs)

    await vi.advanceTimersByTimeAsync(ERROR_LOG_INTERVAL_MS + 2800)

    // Each gap is the one before doubled: a trickle, never a tight loop.
    const { receivedAt } = endpoint
    expect(receivedAt[0]).toBe(t0)
    expect(gapsOf(receivedAt)).toEqual(about([50, 100, 200, 400, 800, 1600, 3200, 6400]))
    expect(await receiveErrors()).toBe(9)
    expect(logs).toEqual([
      expect.objectContaining({ ...firstFailure, level: 40 }),
      expect.objectContaining({
        msg: 'sqs receive still failing',
        operation: 'sqs receive',
        failures: 9,
        failingForMs: (receivedAt[8] ?? 0) - t0,
        lastError: firstFailure.error,
      }),
    ])
  })

  it('when a receive succeeds between failures, then the backoff starts over from 50 ms', async () => {
    vi.spyOn(Math, 'random').mockImplementation(half)
    const endpoint = scriptedSqs({ receives: ['fail', 'fail', 'fail', 'fail', 'empty'] })
    await endpoint.warm()
    useFakeClock()
    const t0 = Date.now()
    const { logs, receiveErrors } = poolOn(endpoint.sqs)

    await vi.advanceTimersByTimeAsync(1200)

    const { receivedAt } = endpoint
    expect(gapsOf(receivedAt)).toEqual(about([50, 100, 200, 400, 0, 50, 100, 200]))
    expect(await receiveErrors()).toBe(8)
    expect(logs.map((line) => line.msg)).toEqual([
      firstFailure.msg,
      'sqs receive recovered',
      firstFailure.msg,
    ])
    expect(logs[1]).toMatchObject({
      operation: 'sqs receive',
      failures: 4,
      failedForMs: (receivedAt[4] ?? 0) - t0,
    })
  })

  it('when the pool drains during a backoff wait, then the wait ends, no receive is sent and nothing is left scheduled', async () => {
    vi.spyOn(Math, 'random').mockImplementation(half)
    const endpoint = scriptedSqs()
    await endpoint.warm()
    useFakeClock()
    const { pool, logs, receiveErrors } = poolOn(endpoint.sqs)
    // Failed at 0 and at 50: the next receive is due 100 ms after the second.
    await vi.advanceTimersByTimeAsync(60)
    expect(endpoint.receivedAt).toHaveLength(2)

    await pool.drain()
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(endpoint.receivedAt).toHaveLength(2)
    // The skipped receive is the drain's doing, not a failure of SQS.
    expect(await receiveErrors()).toBe(2)
    expect(logs.map((line) => line.msg)).toEqual([firstFailure.msg])
  })

  it('when a pool is drained before it starts, then it never receives', async () => {
    const endpoint = scriptedSqs()
    await endpoint.warm()
    useFakeClock()
    const { pool } = poolOn(endpoint.sqs, false)
    await pool.drain()
    pool.start()
    await vi.advanceTimersByTimeAsync(1000)
    expect(endpoint.receivedAt).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})
