import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { waitForDrain } from '../src/load/drain.ts'
import { startMonitor } from '../src/load/monitor.ts'
import { createProgress } from '../src/load/progress.ts'
import { runClosedLoop, runOpenLoop } from '../src/load/users.ts'

// A stand-in for the HTTP call that counts what was started and what has finished.
function fakeSend(latencyMs: number) {
  const counts = { started: 0, finished: 0 }
  return {
    counts,
    send: async () => {
      counts.started += 1
      await sleep(latencyMs)
      counts.finished += 1
    },
  }
}

describe('closed loop', () => {
  it('when the deadline passes mid-request, then the requests in flight are still awaited', async () => {
    const { counts, send } = fakeSend(150)
    // Long enough for all three to join on a busy machine; each request outlives the deadline.
    await runClosedLoop({ users: 3, spawnRate: 1000, durationMs: 100, send, thinkMs: () => 0 })
    expect(counts.started).toBeGreaterThanOrEqual(3)
    expect(counts.finished).toBe(counts.started)
  })

  it('when users join and finish, then onUsers counts them up and back to zero', async () => {
    const { send } = fakeSend(20)
    let users = 0
    let most = 0
    const onUsers = (change: number) => {
      users += change
      most = Math.max(most, users)
    }
    await runClosedLoop({ users: 4, spawnRate: 1000, durationMs: 100, send, onUsers })
    expect(most).toBe(4)
    expect(users).toBe(0)
  })

  it('when stopped, then no user starts another request', async () => {
    const { counts, send } = fakeSend(1)
    const stop = new AbortController()
    stop.abort()
    await runClosedLoop({ users: 5, spawnRate: 1000, durationMs: 60_000, send, stop: stop.signal })
    expect(counts.started).toBe(0)
  })
})

describe('open loop', () => {
  it('when run, then exactly rate × duration requests are sent and all are awaited', async () => {
    const { counts, send } = fakeSend(20)
    await runOpenLoop({ rate: 200, durationMs: 100, send })
    expect(counts.started).toBe(20)
    expect(counts.finished).toBe(20)
  })
})

describe('drain', () => {
  it('when the counter reaches the accepted count and the queue is empty, then it is drained', async () => {
    let processed = 0
    const monitor = startMonitor({
      readDepth: async () => ({ visible: Math.max(0, 3 - processed), inFlight: 0, dlq: 0 }),
      readProcessor: async () => ({ processed: processed++, busy: 0, completions: null }),
      now: () => 0,
      intervalMs: 5,
    })
    const baseline = await monitor.baseline
    const result = await waitForDrain(monitor, { baseline, accepted: 3, timeoutMs: 5000 })
    await monitor.stop()
    expect(result.drained).toBe(true)
    expect(result.last?.processed).toBeGreaterThanOrEqual(3)
  })

  it('when the queue never empties, then it gives up at the timeout', async () => {
    const monitor = startMonitor({
      readDepth: async () => ({ visible: 9, inFlight: 1, dlq: 0 }),
      now: () => 0,
      intervalMs: 5,
    })
    const baseline = await monitor.baseline
    const result = await waitForDrain(monitor, { baseline, accepted: 10, timeoutMs: 50 })
    await monitor.stop()
    expect(result).toMatchObject({ drained: false, last: { visible: 9 } })
  })

  it('when a source fails, then the sample says null and the error is kept', async () => {
    const monitor = startMonitor({
      readDepth: () => Promise.reject(new Error('connect ECONNREFUSED')),
      now: () => 0,
    })
    const first = await monitor.baseline
    await monitor.stop()
    expect(first).toMatchObject({ visible: null, dlq: null, processed: null })
    expect(monitor.errors.queue).toContain('ECONNREFUSED')
  })
})

describe('progress', () => {
  it('when on a terminal, then one line is rewritten in place', () => {
    const written: string[] = []
    const progress = createProgress({ write: (text) => written.push(text), isTTY: true })
    progress.update(1, 'one')
    progress.update(2, 'two')
    progress.done()
    expect(written).toEqual(['\r\x1b[2Kone', '\r\x1b[2Ktwo', '\n'])
  })

  it('when not on a terminal, then a plain line is printed every few seconds', () => {
    const written: string[] = []
    const progress = createProgress({ write: (text) => written.push(text), isTTY: false }, 5)
    for (const second of [1, 2, 3, 6, 7, 11]) progress.update(second, `at ${second}`)
    progress.done()
    expect(written).toEqual(['at 1\n', 'at 6\n', 'at 11\n'])
  })
})
