import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientCompletion } from '../src/load/client-completion.ts'
import {
  createFollower,
  DEFAULT_RETRY_AFTER_MS,
  POLL_FLOOR_MS,
  retryAfterMs,
} from '../src/load/follow.ts'
import type { Followed, Sample } from '../src/load/stats.ts'
import { type LoopbackServer, serveOnLoopback } from './http-server.ts'

// One answer of the status monitor: its HTTP status, the order's status, its Retry-After.
type Answer = { code?: number; status?: string; retryAfter?: string }

let server: LoopbackServer
let base: string
// Per order: the answers still to give (the last one repeats) and when each poll arrived.
const scripts = new Map<string, Answer[]>()
const arrivals = new Map<string, number[]>()

beforeAll(async () => {
  server = await serveOnLoopback((req, res) => {
    const path = req.url ?? ''
    arrivals.set(path, [...(arrivals.get(path) ?? []), performance.now()])
    const script = scripts.get(path) ?? [{ code: 404 }]
    const answer = (script.length > 1 ? script.shift() : script[0]) ?? { code: 404 }
    const headers = answer.retryAfter === undefined ? {} : { 'retry-after': answer.retryAfter }
    res.writeHead(answer.code ?? 200, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(answer.status ? { order_id: path, status: answer.status } : {}))
  })
  base = server.base
})

afterAll(() => server.close())

// A fresh order on the server with its script; returns its URL and the arrivals of its polls.
function order(...script: Answer[]) {
  const path = `/orders/follow-${randomUUID()}`
  scripts.set(path, script)
  arrivals.set(path, [])
  return { url: `${base}${path}`, polls: () => arrivals.get(path) ?? [] }
}

function followOne(url: string, options: { stop?: AbortSignal; deadlineMs?: number } = {}) {
  const follower = createFollower({ stop: options.stop, timeoutMs: 5000 })
  const sentAt = performance.now()
  let seen: Followed | undefined
  follower.follow({ url, sentAt, retryAfter: null }, (followed) => {
    seen = followed
  })
  const settled = follower.settle(options.deadlineMs ?? 20_000).then(() => seen)
  return { follower, sentAt, settled }
}

// Node's timers may fire a fraction of a millisecond before performance.now() says they are due.
const early = 2

describe('following an order at its Location', () => {
  it('when it is pending with Retry-After, then each poll waits that long, until completed', async () => {
    const { url, polls } = order(
      { status: 'pending', retryAfter: '1' },
      { status: 'processing', retryAfter: '1' },
      { status: 'completed' },
    )
    const { sentAt, settled } = followOne(url)
    const followed = await settled

    expect(followed).toMatchObject({ status: 'completed', polls: 3, errors: 0 })
    const [first = 0, second = 0, third = 0] = polls()
    expect(polls()).toHaveLength(3)
    // No wait before the first poll: the 202 gave no Retry-After.
    expect(first).toBeGreaterThanOrEqual(sentAt)
    expect(second - first).toBeGreaterThanOrEqual(1000 - early)
    expect(third - second).toBeGreaterThanOrEqual(1000 - early)
    // Measured from the POST to the answer of the poll that read completed.
    expect(followed?.ms).toBeGreaterThanOrEqual(third - sentAt - 1)
  }, 10_000)

  it('when the 202 itself says Retry-After, then the first poll waits for it', async () => {
    const { url, polls } = order({ status: 'completed' })
    const follower = createFollower({ timeoutMs: 5000 })
    const sentAt = performance.now()
    follower.follow({ url, sentAt, retryAfter: '1' }, () => {})
    await follower.settle(20_000)
    expect(polls()).toHaveLength(1)
    expect((polls()[0] ?? 0) - sentAt).toBeGreaterThanOrEqual(1000 - early)
  }, 10_000)

  it('when the order ends failed, then it is counted failed, not completed', async () => {
    const { url } = order({ status: 'processing', retryAfter: '0' }, { status: 'failed' })
    const followed = await followOne(url).settled
    expect(followed).toMatchObject({ status: 'failed', polls: 2 })
    const samples = [{ follow: followed }] as Sample[]
    expect(clientCompletion(samples)).toMatchObject({
      orders: 1,
      completed: 0,
      failed: 1,
      notTerminal: 0,
      p50: null,
      polls: 2,
    })
  }, 10_000)

  it('when a poll reads no status, then it counts as an error and polling goes on', async () => {
    const { url, polls } = order({ code: 503, retryAfter: '0' }, { status: 'completed' })
    const followed = await followOne(url).settled
    expect(followed).toMatchObject({ status: 'completed', polls: 2, errors: 1 })
    // Retry-After: 0 is raised to the floor rather than polled again at once.
    const [first = 0, second = 0] = polls()
    expect(second - first).toBeGreaterThanOrEqual(POLL_FLOOR_MS - early)
  }, 10_000)

  it('when the deadline passes before the order ends, then polling stops and it is not terminal', async () => {
    // A 30 s Retry-After: settling well inside the test's timeout means the deadline cut it.
    const { url, polls } = order({ status: 'pending', retryAfter: '30' })
    const { follower, settled } = followOne(url, { deadlineMs: 300 })
    const followed = await settled
    expect(followed).toEqual({ status: 'pending', ms: null, polls: 1, errors: 0 })
    expect(polls()).toHaveLength(1)
    expect(follower.following()).toBe(0)
    expect(clientCompletion([{ follow: followed }] as Sample[])).toMatchObject({
      orders: 1,
      notTerminal: 1,
      completed: 0,
    })
  }, 10_000)

  it('when the run is stopped, then every wait ends at once', async () => {
    const stop = new AbortController()
    const { url, polls } = order({ status: 'processing', retryAfter: '30' })
    const { settled } = followOne(url, { stop: stop.signal, deadlineMs: 60_000 })
    await expect.poll(() => polls().length, { timeout: 5000 }).toBe(1)
    stop.abort()
    expect(await settled).toMatchObject({ status: 'processing', ms: null, polls: 1 })
  }, 10_000)
})

describe('Retry-After', () => {
  it('when it is seconds or a date, then that is the wait, never below the floor', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(retryAfterMs('2', now)).toBe(2000)
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000)
    expect(retryAfterMs('0', now)).toBe(POLL_FLOOR_MS)
    expect(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(POLL_FLOOR_MS)
    expect(retryAfterMs(null, now)).toBe(DEFAULT_RETRY_AFTER_MS)
    expect(retryAfterMs('soon', now)).toBe(DEFAULT_RETRY_AFTER_MS)
  })
})
