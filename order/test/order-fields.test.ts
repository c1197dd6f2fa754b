import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { newOrder, parseOrder, parseOrderRequest } from '../src/order.ts'

// What a client reads in an invalid_order answer, and the timestamps an order event may carry.
const valid = () => ({
  order_id: randomUUID(),
  customer_id: 9,
  items: [{ product_id: 'SKU-1', quantity: 1, price: 1 }],
})

describe('order fields', () => {
  it('when order_id has a character outside the set, then the issue says which characters are allowed', () => {
    const parsed = parseOrderRequest({ ...valid(), order_id: 'no spaces' })
    expect(parsed.ok ? [] : parsed.issues).toEqual([
      { path: 'order_id', message: 'must be 1 to 64 letters, digits or . _ : -' },
    ])
  })

  it('when created_at carries a UTC offset other than Z, then the event is still an order', () => {
    const order = { ...newOrder(valid()), created_at: '2026-11-24T12:00:00.000+02:00' }
    expect(parseOrder(order)).toEqual({ ok: true, value: order })
  })
})
