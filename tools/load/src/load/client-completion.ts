import type { Sample } from './stats.ts'
import { latency, round } from './stats.ts'

// Accepted orders followed at their Location: how they ended, and the time from sending the POST
// to the first poll that read `completed`, in ms, as the client saw it.
export type ClientCompletion = {
  orders: number
  completed: number
  failed: number
  // Still pending or processing (or never read) when the deadline passed or the run was stopped.
  notTerminal: number
  p50: number | null
  p95: number | null
  p99: number | null
  // Status requests (GET /orders/{order_id}), apart from the order requests.
  polls: number
  pollsPerOrder: number | null
  // Polls that read no status: a non-200 answer, a timeout, a connection error.
  pollErrors: number
}

// From the raw samples, so summary.json can be recomputed from samples.jsonl.
export function clientCompletion(samples: readonly Sample[]): ClientCompletion {
  const times: number[] = []
  const ends = { orders: 0, completed: 0, failed: 0, notTerminal: 0 }
  const counts = { polls: 0, pollErrors: 0 }
  for (const { follow } of samples) {
    if (!follow) continue
    ends.orders += 1
    counts.polls += follow.polls
    counts.pollErrors += follow.errors
    if (follow.ms === null) ends.notTerminal += 1
    else if (follow.status === 'completed') {
      ends.completed += 1
      times.push(follow.ms)
    } else ends.failed += 1
  }
  const { median, p95, p99 } = latency(times)
  const pollsPerOrder = ends.orders === 0 ? null : round(counts.polls / ends.orders, 2)
  const { polls, pollErrors } = counts
  return { ...ends, p50: median, p95, p99, polls, pollsPerOrder, pollErrors }
}
