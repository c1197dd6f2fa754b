import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { LoadOptions } from './args.ts'
import type { Follower } from './follow.ts'
import { postOrder } from './request.ts'
import { round, type Sample } from './stats.ts'

export type Sending = {
  o: Pick<LoadOptions, 'host' | 'path' | 'timeoutS' | 'expectStatus'>
  // performance.now() at the run's start: the clock of every sample.
  origin: number
  samples: Sample[]
  // Requests sent and not yet answered, for the live line.
  live: { waiting: number }
  follower?: Follower
}

// Each call sends one order with a fresh id (load-<run>-<n>) and records its answer as a sample.
// With a follower, an accepted order's Location is polled in the background, so the user goes on
// to its next order as a client that checks back later would, and what it showed joins the sample.
export function createSender({ o, origin, samples, live, follower }: Sending) {
  const runId = randomUUID().slice(0, 8)
  const target = `${o.host}${o.path}`
  let sent = 0
  return async () => {
    sent += 1
    const n = sent
    live.waiting += 1
    const orderId = `load-${runId}-${n}`
    const sentAt = performance.now()
    const start = round(sentAt - origin)
    const next = await postOrder(target, orderId, o.timeoutS * 1000, o.expectStatus)
    const { location, retryAfter, ...outcome } = next
    live.waiting -= 1
    const sample: Sample = { n, orderId, start, ...outcome }
    samples.push(sample)
    if (follower && location !== undefined) {
      const url = new URL(location, target).href
      follower.follow({ url, sentAt, retryAfter: retryAfter ?? null }, (followed) => {
        sample.follow = followed
      })
    }
  }
}
