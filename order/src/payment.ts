import { setTimeout as sleep } from 'node:timers/promises'
import type { Order } from './order.ts'

export const DEFAULT_PROCESSING_TIME_MS = 3000

export type ProcessOrder = (order: Order) => Promise<Order>

// The simulated payment step. The receiver's sync endpoint and the processor share it, so both
// paths cost the same time per order and the load tests compare like with like.
export function createPayment(processingTimeMs = DEFAULT_PROCESSING_TIME_MS): ProcessOrder {
  return async (order) => {
    await sleep(processingTimeMs)
    return { ...order, status: 'completed' }
  }
}
