// The receive budget shared by a processor's pollers: its order slots and the messages it may hold
// ahead of them (pool.ts). A receive asks SQS for at most the budget it took, so the process never
// holds more messages than it has slots and room ahead.
export type ReceiveBudget = {
  // Waits until `max` are free (at most all there are), or until the pool is hungry, then takes
  // what is free; resolves with that (0 once closed). Callers queue first come, first served.
  take: (max: number) => Promise<number>
  // Takes up to `max` without waiting; none while anyone waits in `take`.
  takeFree: (max: number) => number
  release: (count?: number) => void
  // Hungry: nothing is waiting for a slot, so a receive of any size is worth more than a full one.
  setHungry: (hungry: boolean) => void
  // Wakes every waiter with 0: the processor is draining and receives no more.
  close: () => void
}

type Waiter = { max: number; resolve: (taken: number) => void }

export function createReceiveBudget(total: number): ReceiveBudget {
  let free = total
  let hungry = true
  let closed = false
  const waiters: Waiter[] = []

  // Only the first waiter may take, so a full batch is never split between two receives.
  function pump() {
    while (free > 0) {
      const head = waiters[0]
      if (head === undefined || (free < head.max && !hungry)) return
      const taken = Math.min(head.max, free)
      free -= taken
      waiters.shift()
      head.resolve(taken)
    }
  }

  return {
    take(max) {
      if (closed) return Promise.resolve(0)
      return new Promise((resolve) => {
        waiters.push({ max: Math.min(max, total), resolve })
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
    setHungry(value) {
      hungry = value
      pump()
    },
    close() {
      closed = true
      for (const waiter of waiters.splice(0)) waiter.resolve(0)
    },
  }
}
