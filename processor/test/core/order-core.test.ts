import type { Message } from '@aws-sdk/client-sqs'
import { newOrder } from '@orders/order/order'
import { recordingPayment } from '@orders/order/testing'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createIdempotencyRecord } from '../../src/core/idempotency.ts'
import { createMetrics } from '../../src/core/metrics.ts'
import { createMessageHandler, isPoison, readOrderMessage } from '../../src/core/order-core.ts'
import type { LogLine } from '../log-lines.ts'

const order = newOrder({
  order_id: 'h-1',
  customer_id: 1,
  items: [{ product_id: 'A', quantity: 1, price: 1 }],
})

function delivery(message: unknown, id = 'm-1'): Message {
  const envelope = { Type: 'Notification', MessageId: 'sns-1', TopicArn: 'arn:t', Message: '' }
  envelope.Message = typeof message === 'string' ? message : JSON.stringify(message)
  return {
    MessageId: id,
    Body: JSON.stringify(envelope),
    Attributes: { ApproximateReceiveCount: '2' },
  }
}

function handlerWith(fails = false) {
  const logs: LogLine[] = []
  const payment = recordingPayment(() => fails)
  const metrics = createMetrics()
  const handle = createMessageHandler({
    processOrder: payment.processOrder,
    record: createIdempotencyRecord(),
    logger: pino({}, { write: (line: string) => logs.push(JSON.parse(line)) }),
    metrics,
  })
  return { handle, logs, calls: payment.calls, metrics }
}

describe('message handler', () => {
  it('when the order completes, then the message is returned, which acks (deletes) it', async () => {
    const { handle, calls } = handlerWith()
    const message = delivery(order)
    await expect(handle(message)).resolves.toBe(message)
    expect(calls).toEqual(['h-1'])
  })

  it('when an order completes, then its time since created_at is observed end to end', async () => {
    const { handle, metrics } = handlerWith()
    const createdAt = new Date(Date.now() - 90_000).toISOString()
    await handle(delivery({ ...order, order_id: 'h-e2e', created_at: createdAt }))
    const { values } = await metrics.endToEndSeconds.get()
    const count = values.find((v) => v.metricName === 'order_end_to_end_seconds_count')
    const sum = values.find((v) => v.metricName === 'order_end_to_end_seconds_sum')
    const under60 = values.find((v) => v.labels.le === 60)
    const under120 = values.find((v) => v.labels.le === 120)
    expect([count?.value, under60?.value, under120?.value]).toEqual([1, 0, 1])
    expect(sum?.value).toBeGreaterThanOrEqual(90)
  })

  it('when the payment fails, then it throws, which leaves the message for a retry', async () => {
    const { handle, logs } = handlerWith(true)
    await expect(handle(delivery(order))).rejects.toThrow('payment declined')
    expect(logs.at(-1)).toMatchObject({ msg: 'order failed; will be retried', receiveCount: 2 })
  })

  it('when the body is poison, then it throws without paying and logs id and reason', async () => {
    const { handle, logs, calls } = handlerWith()
    await expect(handle(delivery('{"order_id":'))).rejects.toThrow('poison')
    expect(calls).toEqual([])
    expect(logs.at(-1)).toMatchObject({
      msg: 'poison message',
      messageId: 'm-1',
      reason: 'SNS message is not JSON',
    })
  })

  it('when the same order is delivered again, then it is acked without paying twice', async () => {
    const { handle, calls } = handlerWith()
    await handle(delivery(order, 'm-1'))
    const again = delivery(order, 'm-2')
    await expect(handle(again)).resolves.toBe(again)
    expect(calls).toEqual(['h-1'])
  })
})

describe('poison detection', () => {
  it.each([
    ['a valid order event', false, delivery(order)],
    ['a body that is not JSON', true, { Body: 'x' }],
    ['an order without status', true, delivery({ ...order, status: undefined })],
    [
      'an order with a bad price',
      true,
      delivery({ ...order, items: [{ product_id: 'A', quantity: 1, price: -1 }] }),
    ],
  ])('when %s arrives, then isPoison is %s', (_case, poison, message) => {
    expect(isPoison(message)).toBe(poison)
  })

  it('when an order is invalid, then the reason names the field', () => {
    const read = readOrderMessage(delivery({ ...order, customer_id: 'x' }).Body)
    expect(read).toEqual({ ok: false, reason: expect.stringContaining('customer_id') })
  })
})
