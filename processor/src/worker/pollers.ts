// One sqs-consumer poller per this many slots: enough receives in flight to refill a thousand
// slots a second even when a receive takes tens of milliseconds, few enough that idle long polls
// stay cheap. The cost model counts the idle long polls from the same numbers.
export const SLOTS_PER_POLLER = 50

export function pollersFor(concurrency: number): number {
  return Math.ceil(concurrency / SLOTS_PER_POLLER)
}

// The most messages one ReceiveMessage (or one batch call on them) carries.
export const BATCH = 10

// Messages a process holds ahead of its slots (runner.ts): a batch per poller and one more, so a
// batch is still waiting when the next receive goes out; never more than the slots, so none waits
// longer than about one payment for its turn.
export function aheadFor(concurrency: number): number {
  return Math.min(concurrency, BATCH * (pollersFor(concurrency) + 1))
}
