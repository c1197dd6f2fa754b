import { createPayment, type ProcessOrder } from '@orders/order/payment'

// The simulated payment, optionally spread evenly over timeMs ± jitterMs: real payments vary,
// and the variation is what leaves slots idle in a consumer that waits for a whole batch.
export function createProcessorPayment(
  timeMs: number,
  jitterMs: number,
  random: () => number = Math.random,
  payment: typeof createPayment = createPayment,
): ProcessOrder {
  if (jitterMs === 0) return payment(timeMs)
  return (order) => payment(timeMs - jitterMs + random() * 2 * jitterMs)(order)
}
