// At most `limit` requests at the table at once; the rest wait here, as a promise each, rather
// than as SDK requests already built and signed (tens of kilobytes apiece) in its socket queue.
// A wait counts toward its request's timeout: the signal ends it.
export type Permits = { acquire: (signal: AbortSignal) => Promise<void>; release: () => void }

export function createPermits(limit: number): Permits {
  let free = limit
  const waiting: Array<{ grant: () => void }> = []
  return {
    acquire(signal) {
      if (free > 0) {
        free -= 1
        return Promise.resolve()
      }
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          grant: () => {
            signal.removeEventListener('abort', abort)
            resolve()
          },
        }
        const abort = () => {
          waiting.splice(waiting.indexOf(waiter), 1)
          reject(signal.reason)
        }
        signal.addEventListener('abort', abort, { once: true })
        waiting.push(waiter)
      })
    },
    release() {
      const next = waiting.shift()
      if (next) next.grant()
      else free += 1
    },
  }
}
