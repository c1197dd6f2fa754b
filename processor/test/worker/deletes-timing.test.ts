import { randomUUID } from 'node:crypto'
import type { Message } from '@aws-sdk/client-sqs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDeleteBatcher, DELETE_LINGER_MS } from '../../src/worker/deletes.ts'
import { capturingLogger } from '../log-lines.ts'
import { type DeleteCall, scriptedSqs } from './scripted-sqs.ts'

// The delete batcher's bounds in time, on fake clocks: the linger, the pause before each retry
// and when it gives up; with the lines an operator reads when deletes fail.
afterEach(() => {
  vi.useRealTimers()
})

const messages = (count: number): Message[] =>
  Array.from({ length: count }, () => ({ MessageId: randomUUID(), ReceiptHandle: randomUUID() }))

async function batcherOn(script: Parameters<typeof scriptedSqs>[0] = {}) {
  const endpoint = scriptedSqs(script)
  await endpoint.warm()
  // node:timers/promises too: the pause before a retry is one.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], fakeNodeBuiltins: true })
  const t0 = Date.now()
  const abandoned: Message[] = []
  const { logger, logs } = capturingLogger()
  const deletes = createDeleteBatcher({
    sqs: endpoint.sqs,
    queueUrl: 'http://127.0.0.1:1/000000000000/orders-queue',
    logger,
    onAbandoned: (message) => abandoned.push(message),
  })
  const calls = () =>
    endpoint.deletes.map((call: DeleteCall) => ({ at: call.at - t0, size: call.entries.length }))
  return { deletes, abandoned, logs, calls, sqs: endpoint.sqs }
}

describe('delete batcher, in time', () => {
  it('when fewer than ten wait, then they go out DELETE_LINGER_MS after the first, not before', async () => {
    const { deletes, calls } = await batcherOn()
    const [first, second] = messages(2)
    deletes.add(first as Message)
    await vi.advanceTimersByTimeAsync(60)
    deletes.add(second as Message)
    await vi.advanceTimersByTimeAsync(DELETE_LINGER_MS - 61)
    expect(calls()).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(calls()).toEqual([{ at: DELETE_LINGER_MS, size: 2 }])
  })

  it('when the tenth arrives, then the batch goes at once, and the eleventh lingers from its own arrival', async () => {
    const { deletes, calls } = await batcherOn()
    const all = messages(11)
    for (const message of all.slice(0, 10)) deletes.add(message)
    await vi.advanceTimersByTimeAsync(30)
    deletes.add(all[10] as Message)
    await vi.advanceTimersByTimeAsync(DELETE_LINGER_MS)
    expect(calls()).toEqual([
      { at: 0, size: 10 },
      { at: 30 + DELETE_LINGER_MS, size: 1 },
    ])
  })

  it('when the tenth arrives, then its call is built only after the work already queued in the turn', async () => {
    const { deletes, sqs, calls } = await batcherOn()
    const send = vi.spyOn(sqs, 'send')
    const sendsSeenByQueuedWork: number[] = []
    setImmediate(() => sendsSeenByQueuedWork.push(send.mock.calls.length))
    for (const message of messages(10)) deletes.add(message)
    expect(send).not.toHaveBeenCalled()

    await new Promise((resolve) => setImmediate(resolve))
    expect(sendsSeenByQueuedWork).toEqual([0])
    expect(send).toHaveBeenCalledTimes(1)
    await deletes.flush()
    expect(calls()).toEqual([{ at: 0, size: 10 }])
  })

  it('when twelve arrive in one turn, then ten go at once and the other two after the linger', async () => {
    const { deletes, calls } = await batcherOn()
    for (const message of messages(12)) deletes.add(message)
    await vi.advanceTimersByTimeAsync(DELETE_LINGER_MS)
    expect(calls()).toEqual([
      { at: 0, size: 10 },
      { at: DELETE_LINGER_MS, size: 2 },
    ])
  })

  it('when full batches fill in turn after turn, then each goes at once, none waits for the linger', async () => {
    const { deletes, calls } = await batcherOn()
    for (const turn of [1, 2, 3]) {
      for (const message of messages(10)) deletes.add(message)
      await new Promise((resolve) => setImmediate(resolve))
      await vi.advanceTimersByTimeAsync(turn)
    }
    await deletes.flush()
    expect(calls()).toEqual([
      { at: 0, size: 10 },
      { at: 1, size: 10 },
      { at: 3, size: 10 },
    ])
  })

  it('when a call keeps failing, then it is retried after 200 then 400 ms, and given up after the third', async () => {
    const { deletes, calls, abandoned, logs } = await batcherOn({
      deletes: ['fail', 'fail', 'fail'],
    })
    const [only] = messages(1)
    deletes.add(only as Message)
    await vi.advanceTimersByTimeAsync(2000)

    // Each retry waits its pause, then lingers with whatever else waits.
    const linger = DELETE_LINGER_MS
    expect(calls().map((call) => call.at)).toEqual([linger, 2 * linger + 200, 3 * linger + 600])
    expect(abandoned).toEqual([only])
    expect(logs).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'sqs delete failing; retrying with backoff',
        operation: 'sqs delete',
        error: 'InternalError: We encountered an internal error.',
      }),
    ])
  })

  it('when flushed, then what waits goes at once, and the flush ends only after the last retry', async () => {
    const { deletes, calls, abandoned } = await batcherOn({ deletes: ['fail', 'fail', 'fail'] })
    const [only] = messages(1)
    deletes.add(only as Message)
    let flushed = false
    void deletes.flush().then(() => {
      flushed = true
    })
    await vi.advanceTimersByTimeAsync(599)
    expect(calls().map((call) => call.at)).toEqual([0, 200])
    expect(flushed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls().map((call) => call.at)).toEqual([0, 200, 600])
    expect(flushed).toBe(true)
    expect(abandoned).toEqual([only])
  })

  it('when flushed while a call is out and nothing waits, then the flush ends only once that call answers', async () => {
    let answer = (_: { Failed: [] }) => {}
    const held = new Promise<{ Failed: [] }>((resolve) => {
      answer = resolve
    })
    const { deletes, calls } = await batcherOn({ deletes: [held] })
    for (const message of messages(10)) deletes.add(message)
    // The full batch's call goes out from the next immediate; then nothing waits.
    await new Promise((resolve) => setImmediate(resolve))
    let flushed = false
    void deletes.flush().then(() => {
      flushed = true
    })
    await vi.advanceTimersByTimeAsync(DELETE_LINGER_MS)
    expect(flushed).toBe(false)
    answer({ Failed: [] })
    await vi.waitFor(() => expect(flushed).toBe(true))
    expect(calls().map((call) => call.size)).toEqual([10])
  })

  it('when one entry fails, then only it is sent again, and the recovery is logged with the count', async () => {
    const { deletes, calls, abandoned, logs } = await batcherOn({
      deletes: [{ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] }],
    })
    for (const message of messages(3)) deletes.add(message)
    const flushed = deletes.flush()
    await vi.advanceTimersByTimeAsync(1000)
    await flushed

    expect(calls()).toEqual([
      { at: 0, size: 3 },
      { at: 200, size: 1 },
    ])
    expect(abandoned).toEqual([])
    expect(logs.map((line) => line.msg)).toEqual([
      'sqs delete failing; retrying with backoff',
      'sqs delete recovered',
    ])
    expect(logs[0]).toMatchObject({ error: 'Error: entry 1 failed: InternalError undefined' })
    expect(logs[1]).toMatchObject({ failures: 1, failedForMs: 200 })
  })

  it('when a refused entry is followed by a clean batch, then the refusals are logged as recovered', async () => {
    const { deletes, abandoned, logs } = await batcherOn({
      deletes: [{ Failed: [{ Id: '0', Code: 'ReceiptHandleIsInvalid', SenderFault: true }] }],
    })
    const [refused, later] = messages(2)
    deletes.add(refused as Message)
    await deletes.flush()
    deletes.add(later as Message)
    await deletes.flush()

    expect(abandoned).toEqual([refused])
    expect(logs.map((line) => line.msg)).toEqual([
      'sqs delete (sender fault) failing; given up, not retried',
      'sqs delete (sender fault) recovered',
    ])
  })

  it('when SQS names an entry the batch did not hold, then it is ignored', async () => {
    const { deletes, calls, abandoned } = await batcherOn({
      deletes: [{ Failed: [{ Id: '7', Code: 'InternalError', SenderFault: false }] }],
    })
    deletes.add(messages(1)[0] as Message)
    await deletes.flush()
    expect(calls()).toEqual([{ at: 0, size: 1 }])
    expect(abandoned).toEqual([])
  })
})
