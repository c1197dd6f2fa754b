// One sqs-consumer poller per this many slots: enough receives in flight to refill a thousand
// slots a second even when a receive takes tens of milliseconds, few enough that idle long polls
// stay cheap. The cost model counts the idle long polls from the same numbers.
export const SLOTS_PER_POLLER = 50

export function pollersFor(concurrency: number): number {
  return Math.ceil(concurrency / SLOTS_PER_POLLER)
}
