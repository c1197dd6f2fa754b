// Receives that fail are retried after an exponentially growing, fully jittered delay
// (random between 0 and min(cap, base × 2^(failures − 1))): throttling and network errors alike,
// so an outage costs a trickle of requests instead of a tight loop, and the processors that
// share a queue do not retry in step. The first success resets it.
export const BACKOFF_BASE_MS = 100
export const BACKOFF_CAP_MS = 20_000

export function backoffDelay(failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return 0
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 1)))
}

export type Backoff = {
  // Resolves once the delay owed for the failures so far has passed (at once after a success).
  wait: () => Promise<void>
  failed: () => void
  succeeded: () => void
  // Ends a wait early: the processor is draining.
  cancel: () => void
}

export function createBackoff(random: () => number = Math.random): Backoff {
  let failures = 0
  let timer: NodeJS.Timeout | undefined
  let wake: (() => void) | undefined
  return {
    wait() {
      const delay = backoffDelay(failures, random)
      if (delay === 0) return Promise.resolve()
      return new Promise((resolve) => {
        wake = resolve
        timer = setTimeout(resolve, delay)
      })
    },
    failed() {
      failures += 1
    },
    succeeded() {
      failures = 0
    },
    cancel() {
      clearTimeout(timer)
      wake?.()
    },
  }
}
