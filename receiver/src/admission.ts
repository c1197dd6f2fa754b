import PQueue from 'p-queue'
import type { Gauge } from 'prom-client'
import type { ReceiverMetrics } from './metrics.ts'

export type Admitted<T> =
  | { outcome: 'done'; value: T; clientLeft: boolean }
  | { outcome: 'overloaded' }
  // The client left while the work waited for its turn: the work never ran.
  | { outcome: 'left' }

type SlotOptions = {
  concurrency: number
  // How many may wait for a slot; one more is refused at once.
  queueLimit: number
  metrics: Pick<ReceiverMetrics, 'syncInFlight' | 'syncWaiting'>
}

// p-queue runs the work, at most `concurrency` at once and in arrival order, and takes a waiting
// task out of its queue the moment that task's signal aborts: a client that left holds no place
// and runs no payment. p-limit, which it replaces, cannot drop one waiting task. The signal p-queue
// gets aborts only before the start, because p-queue stops counting a task whose signal aborts
// while it runs: that would free the slot of a payment still running and let one more start.
export function createSlots({ concurrency, queueLimit, metrics }: SlotOptions) {
  const queue = new PQueue({ concurrency })
  return async function admit<T>(
    work: () => Promise<T>,
    clientLeft: AbortSignal,
  ): Promise<Admitted<T>> {
    if (clientLeft.aborted) return { outcome: 'left' }
    if (queue.pending >= concurrency && queue.size >= queueLimit) return { outcome: 'overloaded' }
    const beforeStart = new AbortController()
    let started = false
    const leave = () => {
      if (!started) beforeStart.abort()
    }
    clientLeft.addEventListener('abort', leave, { once: true })
    metrics.syncWaiting.inc()
    try {
      const value = await queue.add(
        async () => {
          started = true
          metrics.syncWaiting.dec()
          metrics.syncInFlight.inc()
          try {
            return await work()
          } finally {
            metrics.syncInFlight.dec()
          }
        },
        { signal: beforeStart.signal },
      )
      return { outcome: 'done', value, clientLeft: clientLeft.aborted }
    } catch (err) {
      if (started) throw err
      metrics.syncWaiting.dec()
      if (beforeStart.signal.aborted) return { outcome: 'left' }
      throw err
    } finally {
      clientLeft.removeEventListener('abort', leave)
    }
  }
}

export type Limited<T> = { outcome: 'done'; value: T } | { outcome: 'overloaded' }

// At most `limit` at once, and nothing waits: one more is refused at once, so a dependency that
// slows down (SNS) holds a bounded number of requests and their sockets, not every one that
// arrives before its timeout.
export function createLimit(limit: number, gauge: Pick<Gauge, 'inc' | 'dec'>) {
  let running = 0
  return async function within<T>(work: () => Promise<T>): Promise<Limited<T>> {
    if (running >= limit) return { outcome: 'overloaded' }
    running += 1
    gauge.inc()
    try {
      return { outcome: 'done', value: await work() }
    } finally {
      running -= 1
      gauge.dec()
    }
  }
}
