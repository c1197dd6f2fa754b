// The processor's N order slots, shared by all its receivers. A receive may ask SQS for at most
// the slots it holds, so a message is never fetched without a free slot to run it in.
export type Slots = {
  // Waits for one free slot, then up to `lingerMs` more for `max`; resolves with what it took
  // (0 once closed). Callers queue first come, first served.
  take: (max: number, lingerMs: number) => Promise<number>
  // Takes up to `max` free slots without waiting; none while anyone waits in `take`.
  takeFree: (max: number) => number
  release: (count?: number) => void
  // Wakes every waiter with 0: the processor is draining and receives no more.
  close: () => void
}

type Waiter = {
  max: number
  lingerMs: number
  resolve: (taken: number) => void
  timer?: NodeJS.Timeout
  lingered: boolean
}

export function createSlots(total: number): Slots {
  let free = total
  let closed = false
  const waiters: Waiter[] = []

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
        // Never linger for more slots than exist.
        waiters.push({ max: Math.min(max, total), lingerMs, resolve, lingered: false })
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
