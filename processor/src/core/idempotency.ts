export type RunOutcome = 'ran' | 'duplicate'

export type IdempotencyRecord = {
  run: (orderId: string, work: () => Promise<unknown>) => Promise<RunOutcome>
}

// SQS delivers at least once (and a publish retried after a timeout sends twice), so the same
// order can arrive again. Completed ids are kept, oldest evicted first, up to `capacity`; a
// delivery that arrives while its twin is still running waits for it instead of paying twice.
// The record is per process: enough for one worker, not a substitute for a shared store.
export function createIdempotencyRecord(capacity = 10_000): IdempotencyRecord {
  const completed = new Set<string>()
  const running = new Map<string, Promise<unknown>>()

  function remember(orderId: string) {
    completed.add(orderId)
    if (completed.size <= capacity) return
    const oldest = completed.values().next()
    if (!oldest.done) completed.delete(oldest.value)
  }

  return {
    async run(orderId, work) {
      if (completed.has(orderId)) return 'duplicate'
      const twin = running.get(orderId)
      if (twin) {
        await twin
        return 'duplicate'
      }
      const pending = work()
      running.set(orderId, pending)
      try {
        await pending
      } finally {
        running.delete(orderId)
      }
      remember(orderId)
      return 'ran'
    },
  }
}
