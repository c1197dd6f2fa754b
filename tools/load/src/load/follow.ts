import { setMaxListeners } from 'node:events'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Followed, round } from './stats.ts'

// The receiver's own interval, for a status answer that gives none.
export const DEFAULT_RETRY_AFTER_MS = 1000
// A Retry-After of 0 or a date already past must not turn the client into a busy loop.
export const POLL_FLOOR_MS = 200

export type FollowStart = {
  url: string
  // performance.now() when the POST was sent.
  sentAt: number
  // The 202's own Retry-After, if it gave one: the wait before the first poll.
  retryAfter: string | null
}

const terminal = new Set(['completed', 'failed'])

// Seconds or an HTTP date (RFC 9110 §10.2.3), never below the floor.
export function retryAfterMs(header: string | null, now = Date.now()): number {
  const value = header?.trim() ?? ''
  const ms = /^\d+$/.test(value)
    ? Number(value) * 1000
    : value === ''
      ? DEFAULT_RETRY_AFTER_MS
      : Date.parse(value) - now
  return Math.max(POLL_FLOOR_MS, Number.isNaN(ms) ? DEFAULT_RETRY_AFTER_MS : ms)
}

export type Follower = ReturnType<typeof createFollower>

// Polls each accepted order's status monitor, in the background of the load, until it ends or the
// follower does: at the deadline given to settle(), or when stop aborts. It holds one promise per
// order still followed, and each of those at most one timer or one request.
export function createFollower({ stop, timeoutMs }: { stop?: AbortSignal; timeoutMs: number }) {
  const ended = new AbortController()
  // Every order in flight waits on this one signal.
  setMaxListeners(0, ended.signal)
  const end = () => ended.abort()
  stop?.addEventListener('abort', end, { once: true })
  if (stop?.aborted) end()
  const following = new Set<Promise<void>>()

  async function poll(url: string): Promise<{ status: string | null; retryAfter: string | null }> {
    const attempt = new AbortController()
    const abort = () => attempt.abort()
    const timer = setTimeout(abort, timeoutMs)
    ended.signal.addEventListener('abort', abort, { once: true })
    try {
      const res = await fetch(url, { signal: attempt.signal })
      const body = (await res.json().catch(() => null)) as { status?: unknown } | null
      const status = res.status === 200 && typeof body?.status === 'string' ? body.status : null
      return { status, retryAfter: res.headers.get('retry-after') }
    } finally {
      clearTimeout(timer)
      ended.signal.removeEventListener('abort', abort)
    }
  }

  async function run({ url, sentAt, retryAfter }: FollowStart): Promise<Followed> {
    const seen: Followed = { status: null, ms: null, polls: 0, errors: 0 }
    let wait = retryAfter === null ? 0 : retryAfterMs(retryAfter)
    while (!ended.signal.aborted) {
      if (wait > 0 && !(await sleep(wait, true, { signal: ended.signal }).catch(() => false))) break
      seen.polls += 1
      const answer = await poll(url).catch(() => null)
      if (ended.signal.aborted) break
      if (answer === null || answer.status === null) seen.errors += 1
      else seen.status = answer.status
      if (seen.status !== null && terminal.has(seen.status)) {
        seen.ms = round(performance.now() - sentAt)
        break
      }
      wait = retryAfterMs(answer?.retryAfter ?? null)
    }
    return seen
  }

  return {
    // done is called once, with what was seen, before settle() can resolve.
    follow(start: FollowStart, done: (followed: Followed) => void) {
      const followed = run(start).then(done)
      following.add(followed)
      followed.finally(() => following.delete(followed))
    },
    // Resolves once every order followed so far has ended, or the deadline or stop has ended them.
    async settle(deadlineMs: number) {
      const timer = setTimeout(end, deadlineMs)
      try {
        while (following.size > 0) await Promise.all(following)
      } finally {
        clearTimeout(timer)
        stop?.removeEventListener('abort', end)
        end()
      }
    },
    following: () => following.size,
    // Ends every wait and request at once, if the run ends before settle().
    close: end,
  }
}
