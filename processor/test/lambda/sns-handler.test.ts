import { newOrder } from '@orders/order/order'
import { recordingPayment } from '@orders/order/testing'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { invokeInFreshProcess, snsEvent } from '../../bench/lambda-invoke.ts'
import { createSnsHandler, PoisonRecordError } from '../../src/lambda/sns-handler.ts'
import type { LogLine } from '../log-lines.ts'

const order = (id: string) =>
  newOrder({ order_id: id, customer_id: 1, items: [{ product_id: 'A', quantity: 1, price: 1 }] })

function handlerWith(fails: (orderId: string) => boolean = () => false) {
  const logs: LogLine[] = []
  const payment = recordingPayment((o) => fails(o.order_id))
  const handle = createSnsHandler({
    processOrder: payment.processOrder,
    logger: pino({}, { write: (line: string) => logs.push(JSON.parse(line)) }),
  })
  return { handle, logs, calls: payment.calls }
}

describe('SNS handler (the Lambda function)', () => {
  it('when a record holds an order, then it is paid and one line logs orderId, durationMs and status', async () => {
    const { handle, logs, calls } = handlerWith()
    const event = snsEvent([JSON.stringify(order('l-1'))])
    await expect(handle(event, { awsRequestId: 'req-1' })).resolves.toBeUndefined()
    expect(calls).toEqual(['l-1'])
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'order completed',
        orderId: 'l-1',
        messageId: event.Records[0]?.Sns.MessageId,
        requestId: 'req-1',
        durationMs: expect.any(Number),
        status: 'completed',
      }),
    ])
  })

  it('when the event holds several records, then every one is handled', async () => {
    const { handle, calls } = handlerWith()
    await handle(snsEvent(['l-2', 'l-3', 'l-4'].map((id) => JSON.stringify(order(id)))))
    expect(calls.sort()).toEqual(['l-2', 'l-3', 'l-4'])
  })

  it('when a record is poison, then it is logged with its reason and the invocation fails as poison', async () => {
    const { handle, logs, calls } = handlerWith()
    const event = snsEvent(['{"order_id":'])
    await expect(handle(event)).rejects.toBeInstanceOf(PoisonRecordError)
    expect(calls).toEqual([])
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'poison record',
        messageId: event.Records[0]?.Sns.MessageId,
        reason: 'SNS message is not JSON',
      }),
    ])
  })

  it('when poison comes with a good order, then the order is still paid and the invocation fails', async () => {
    const { handle, calls } = handlerWith()
    const event = snsEvent([JSON.stringify({ order_id: 'x' }), JSON.stringify(order('l-5'))])
    await expect(handle(event)).rejects.toThrow(/not a valid order/)
    expect(calls).toEqual(['l-5'])
  })

  it('when the payment fails, then that error fails the invocation so Lambda retries it', async () => {
    const { handle, logs } = handlerWith((id) => id === 'l-6')
    const event = snsEvent(['{"order_id":', JSON.stringify(order('l-6'))])
    const failure = handle(event)
    await expect(failure).rejects.toThrow('payment declined')
    await expect(failure).rejects.not.toBeInstanceOf(PoisonRecordError)
    expect(logs.map((line) => line.msg).sort()).toEqual([
      'order failed; the invocation fails',
      'poison record',
    ])
  })
})

describe('the entry point (src/lambda/entry.ts)', () => {
  it('when imported in a fresh process, then its handler completes an order and logs one JSON line', async () => {
    const run = await invokeInFreshProcess(
      new URL('../../src/lambda/entry.ts', import.meta.url).pathname,
      snsEvent([JSON.stringify(order('l-7'))]),
      { PROCESSING_TIME_MS: '1' },
    )
    expect(run.error).toBeUndefined()
    expect(run.logs).toEqual([
      expect.objectContaining({ name: 'processor', orderId: 'l-7', status: 'completed' }),
    ])
  })
})
