import { newOrder } from '@orders/order/order'
import { describe, expect, it } from 'vitest'
import { type Delivery, readDelivery } from '../../src/core/delivery.ts'
import { sqsBody } from './deliveries.ts'

const order = newOrder({
  order_id: 'r-1',
  customer_id: 1,
  items: [{ product_id: 'A', quantity: 1, price: 1 }],
})

const fromSqs = (body: string | undefined): Delivery => ({
  source: 'sqs',
  body,
  messageId: 'm-1',
  receiveCount: 1,
})
const fromSns = (message: string): Delivery => ({
  source: 'sns',
  message,
  messageId: 'm-1',
  requestId: undefined,
})

describe('reading a delivery', () => {
  it.each([
    ['a valid order event', false, fromSqs(sqsBody(order))],
    ['a body that is not JSON', true, fromSqs('x')],
    ['no body at all', true, fromSqs(undefined)],
    ['an order without status', true, fromSqs(sqsBody({ ...order, status: undefined }))],
    [
      'an order with a bad price',
      true,
      fromSqs(sqsBody({ ...order, items: [{ product_id: 'A', quantity: 1, price: -1 }] })),
    ],
    ['an SNS record holding an order', false, fromSns(JSON.stringify(order))],
    ['an SNS record holding an SNS envelope', true, fromSns(sqsBody(order))],
  ])('when %s arrives, then poison is %s', (_case, poison, delivery) => {
    expect(readDelivery(delivery).ok).toBe(!poison)
  })

  it('when an order is invalid, then the reason names the field', () => {
    const read = readDelivery(fromSqs(sqsBody({ ...order, customer_id: 'x' })))
    expect(read).toEqual({
      ok: false,
      reason: expect.stringContaining('customer_id'),
      orderId: 'r-1',
      snsMessageId: 'sns-1',
    })
  })

  it('when the SQS body is an order but no envelope, then the reason says so', () => {
    expect(readDelivery(fromSqs(JSON.stringify(order)))).toEqual({
      ok: false,
      reason: 'body is not an SNS notification envelope',
    })
  })
})

describe('the order_id a poison message still names', () => {
  it.each([
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"r-1"'],
    ['an object without order_id', '{"customer_id":1}'],
    ['an order_id the rule refuses', '{"order_id":"no spaces"}'],
  ])('when the message is %s, then it is poison naming no order', (_case, message) => {
    const read = readDelivery(fromSns(message))
    expect(read).toEqual({ ok: false, reason: expect.any(String), snsMessageId: 'm-1' })
    expect('orderId' in read).toBe(false)
  })

  it('when an invalid order has a readable order_id, then the poison names it', () => {
    const read = readDelivery(fromSns('{"order_id":"r-2","items":"none"}'))
    expect(read).toMatchObject({ ok: false, orderId: 'r-2' })
  })
})
