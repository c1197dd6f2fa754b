import { randomUUID } from 'node:crypto'

// A valid order request under a fresh id (or the given one), for the tests that own their ids.
export const orderBody = (orderId: string = randomUUID()) => ({
  order_id: orderId,
  customer_id: 123,
  items: [{ product_id: 'SKU-001', quantity: 1, price: 19.99 }],
})
