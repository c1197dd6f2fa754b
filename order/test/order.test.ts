import { describe, expect, it } from 'vitest'
import { newOrder, parseOrder, parseOrderRequest, startPayment } from '../src/order.ts'
import { createPayment } from '../src/payment.ts'

const valid = {
  order_id: '001',
  customer_id: 123,
  items: [{ product_id: 'SKU-001', quantity: 1, price: 19.99 }],
}

function issuesOf(input: unknown) {
  const parsed = parseOrderRequest(input)
  return parsed.ok ? [] : parsed.issues
}

describe('order request schema', () => {
  it('when the body is what existing clients send, then it is accepted unchanged', () => {
    expect(parseOrderRequest(valid)).toEqual({ ok: true, value: valid })
  })

  it('when unknown fields are sent, then they are dropped, not forwarded', () => {
    const parsed = parseOrderRequest({
      ...valid,
      admin: true,
      items: [{ ...valid.items[0], x: 1 }],
    })
    expect(parsed).toEqual({ ok: true, value: valid })
  })

  it.each([
    ['order_id empty', 'order_id', { ...valid, order_id: '' }],
    ['order_id with a space', 'order_id', { ...valid, order_id: 'a b' }],
    ['order_id of 65 chars', 'order_id', { ...valid, order_id: 'a'.repeat(65) }],
    ['customer_id as a string', 'customer_id', { ...valid, customer_id: '123' }],
    ['customer_id zero', 'customer_id', { ...valid, customer_id: 0 }],
    ['customer_id unsafe', 'customer_id', { ...valid, customer_id: 2 ** 53 }],
    ['customer_id fractional', 'customer_id', { ...valid, customer_id: 1.5 }],
    ['no items', 'items', { ...valid, items: [] }],
    ['101 items', 'items', { ...valid, items: Array(101).fill(valid.items[0]) }],
    ['quantity 0', 'items.0.quantity', { ...valid, items: [{ ...valid.items[0], quantity: 0 }] }],
    [
      'quantity 10001',
      'items.0.quantity',
      { ...valid, items: [{ ...valid.items[0], quantity: 10_001 }] },
    ],
    [
      'quantity 1.5',
      'items.0.quantity',
      { ...valid, items: [{ ...valid.items[0], quantity: 1.5 }] },
    ],
    ['price 0', 'items.0.price', { ...valid, items: [{ ...valid.items[0], price: 0 }] }],
    [
      'price above a million',
      'items.0.price',
      { ...valid, items: [{ ...valid.items[0], price: 1_000_000.01 }] },
    ],
    [
      'product_id empty',
      'items.0.product_id',
      { ...valid, items: [{ ...valid.items[0], product_id: '' }] },
    ],
  ])('when %s, then exactly one issue, at %s', (_case, path, input) => {
    expect(issuesOf(input).map((issue) => issue.path)).toEqual([path])
  })

  it('when several fields are wrong, then every problem is listed with its path', () => {
    const paths = issuesOf({ order_id: 7, items: [{ product_id: 'A', quantity: -1 }] }).map(
      (i) => i.path,
    )
    expect(paths).toEqual(['order_id', 'customer_id', 'items.0.quantity', 'items.0.price'])
  })

  it('when the body is not an object, then the issue points at the body', () => {
    expect(issuesOf([1, 2])).toEqual([{ path: '(body)', message: expect.any(String) }])
  })

  it('when the boundaries are met exactly, then they are accepted', () => {
    const edge = {
      order_id: `A.b_c:d-${'9'.repeat(56)}`,
      customer_id: Number.MAX_SAFE_INTEGER,
      items: Array(100).fill({ product_id: 'p'.repeat(64), quantity: 10_000, price: 1_000_000 }),
    }
    expect(parseOrderRequest(edge).ok).toBe(true)
  })
})

describe('order', () => {
  it('when an order is created, then it is pending with an RFC 3339 created_at', () => {
    const order = newOrder(valid, new Date('2026-01-02T03:04:05.678Z'))
    expect(order).toEqual({ ...valid, status: 'pending', created_at: '2026-01-02T03:04:05.678Z' })
    expect(parseOrder(order).ok).toBe(true)
  })

  it('when an event lacks status or created_at, then it is not an order', () => {
    expect(parseOrder(valid).ok).toBe(false)
    expect(parseOrder({ ...valid, status: 'pending', created_at: 'yesterday' }).ok).toBe(false)
  })

  it('when the payment step runs, then the order comes back completed', async () => {
    const order = newOrder(valid)
    await expect(createPayment(1)(order)).resolves.toEqual({ ...order, status: 'completed' })
  })

  it('when its payment starts, then the order is processing and otherwise unchanged', () => {
    const order = newOrder(valid)
    const paying = startPayment(order)
    expect(paying).toEqual({ ...order, status: 'processing' })
    expect(parseOrder(paying)).toEqual({ ok: true, value: paying })
    expect(order.status).toBe('pending')
  })

  it('when the payment step runs on a processing order, then it comes back completed', async () => {
    const paying = startPayment(newOrder(valid))
    await expect(createPayment(1)(paying)).resolves.toEqual({ ...paying, status: 'completed' })
  })
})
