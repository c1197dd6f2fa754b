import { randomUUID } from 'node:crypto'
import { newOrder, type Order } from '../src/order.ts'
import type { ProcessOrder } from '../src/payment.ts'

// Test doubles of the payment step, shared by every workspace's tests.

// A payment step the test controls: it records each call and can be told to fail.
export function recordingPayment(fails: (order: Order) => boolean = () => false) {
  const calls: string[] = []
  const processOrder: ProcessOrder = async (order) => {
    calls.push(order.order_id)
    if (fails(order)) throw new Error(`payment declined for ${order.order_id}`)
    return { ...order, status: 'completed' }
  }
  return { calls, processOrder }
}

export function anOrder(): Order {
  return newOrder({
    order_id: randomUUID(),
    customer_id: 42,
    items: [{ product_id: 'SKU-001', quantity: 2, price: 5 }],
  })
}
