import type { Delivery } from './delivery.ts'

// What became of one delivery. The runtime acts on it: the worker deletes a completed or duplicate
// message and makes the others visible again (or leaves them); the function returns, or throws to
// be retried.
export type Outcome =
  | { kind: 'completed'; orderId: string; durationMs: number }
  // Already completed or failed: acknowledged, never paid again.
  | { kind: 'duplicate'; orderId: string; status: 'completed' | 'failed' }
  // Another processor holds the order's lease: no payment now. The delivery comes back once the
  // lease could have ended (retryAfterMs), by when that processor has usually finished it.
  | { kind: 'held'; orderId: string; retryAfterMs: number }
  // The payment failed and the order is pending again: another attempt may still complete it.
  | { kind: 'retry'; orderId: string; error: unknown }
  // The last attempt failed: the order is failed for good and its message goes to the DLQ.
  | { kind: 'failed'; orderId: string; error: unknown }
  // The message can never become an order: retrying it is pointless.
  | { kind: 'poison'; reason: string }
  // The orders table did not answer: the delivery must come back once it does.
  | { kind: 'unavailable'; orderId: string; error: unknown }

export type OrderCore = (delivery: Delivery) => Promise<Outcome>
