// The processor's N order slots, shared by all its receivers. A receive may ask SQS for at most
// the slots it holds, so a message is never fetched without a free slot to run it in.
export type Slots = {
  // Waits for one free slot, then up to `lingerMs` more for `max`; resolves with what it took
  // (0 once closed). Callers queue first come, first served. The linger is only worth its idle
  // slots when others free up fast enough to gather GAIN_WORTH_LINGERING in that time; otherwise
  // it is 5 ms, enough for the orders of one batch that finish together.
  take: (max: number, lingerMs: number) => Promise<number>
  // Takes up to `max` free slots without waiting; none while anyone waits in `take`.
  takeFree: (max: number) => number
  release: (count?: number) => void
  // Wakes every waiter with 0: the processor is draining and receives no more.
  close: () => void
}

const GAIN_WORTH_LINGERING = 2
const SHORT_LINGER_MS = 5
const RATE_WINDOW_MS = 250

type Waiter = {
  max: number
  lingerMs: number
  resolve: (taken: number) => void
  timer?: NodeJS.Timeout
  lingered: boolean
}

export function createSlots(total: number, now: () => number = Date.now): Slots {
  let free = total
  let closed = false
  const waiters: Waiter[] = []
  // Slots freed per millisecond over the last whole window.
  let rate = 0
  let windowStart = now()
  let freedInWindow = 0

  function currentRate() {
    const at = now()
    if (at - windowStart >= RATE_WINDOW_MS) {
      rate = freedInWindow / (at - windowStart)
      windowStart = at
      freedInWindow = 0
    }
    return rate
  }

  function grant(waiter: Waiter) {
    const taken = Math.min(waiter.max, free)
    free -= taken
    waiters.shift()
    clearTimeout(waiter.timer)
    waiter.resolve(taken)
  }

  // Only the first waiter may take: it takes at once when its `max` is free or its linger is
  // over, and otherwise starts lingering from the moment its first slot came free.
  function pump() {
    while (free > 0) {
      const head = waiters[0]
      if (head === undefined) return
      if (free < head.max && !head.lingered && head.lingerMs > 0) {
        head.timer ??= setTimeout(() => {
          head.lingered = true
          pump()
        }, head.lingerMs)
        return
      }
      grant(head)
    }
  }

  return {
    take(max, lingerMs) {
      if (closed) return Promise.resolve(0)
      return new Promise((resolve) => {
        const worth = currentRate() * lingerMs >= GAIN_WORTH_LINGERING
        waiters.push({
          // Never linger for more slots than exist.
          max: Math.min(max, total),
          lingerMs: worth ? lingerMs : Math.min(lingerMs, SHORT_LINGER_MS),
          resolve,
          lingered: false,
        })
        pump()
      })
    },
    takeFree(max) {
      if (closed || waiters.length > 0) return 0
      const taken = Math.min(max, free)
      free -= taken
      return taken
    },
    release(count = 1) {
      free += count
      currentRate()
      freedInWindow += count
      pump()
    },
    close() {
      closed = true
      for (const waiter of waiters.splice(0)) {
        clearTimeout(waiter.timer)
        waiter.resolve(0)
      }
    },
  }
}
