import { recordingPayment } from '@orders/order/testing'
import type { SnsHandler } from '@orders/processor/lambda'
import type { SNSEvent } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { count, deliveryFixture, errors, orderJson } from './lambda-delivery-fixture.ts'

const { startDelivery, theFunction } = deliveryFixture()

describe('emulation of SNS -> Lambda async delivery', () => {
  it('when an order is published, then the handler gets it as one SNS record and it counts as processed', async () => {
    const events: SNSEvent[] = []
    const fn = await theFunction()
    const recording: SnsHandler = async (event, context) => {
      events.push(event)
      await fn.handler(event, context)
    }
    const { metrics, publish } = await startDelivery(recording, {}, fn.metrics)
    const message = orderJson('d-1')
    const { MessageId } = await publish(message)
    await expect.poll(() => count(metrics, 'processed'), { timeout: 5000 }).toBe(1)
    expect(events).toHaveLength(1)
    expect(events[0]?.Records).toEqual([
      expect.objectContaining({
        EventSource: 'aws:sns',
        Sns: expect.objectContaining({
          MessageId,
          Message: message,
          Type: 'Notification',
        }),
      }),
    ])
  })

  it('when a record is poison, then it is invoked 3 times and its invocation record reaches the DLQ', async () => {
    const fn = await theFunction()
    const { metrics, publish, dlq } = await startDelivery(fn.handler, {}, fn.metrics)
    await publish('not an order')
    await expect.poll(() => count(metrics, 'poison'), { timeout: 8000 }).toBe(3)
    expect(await errors(metrics, 'PoisonRecordError')).toBe(3)
    const records: Record<string, unknown>[] = []
    const collect = async () => records.push(...(await dlq()))
    await expect.poll(collect, { timeout: 5000 }).toBe(1)
    expect(records[0]).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { Records: [{ Sns: { Message: 'not an order' } }] },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'PoisonRecordError' },
    })
    expect(await count(metrics, 'processed')).toBe(0)
  })

  it('when an invocation fails once, then the retry completes it and nothing reaches the DLQ', async () => {
    const payment = recordingPayment()
    let failures = 1
    const fn = await theFunction(async (order) => {
      if (failures-- > 0) throw new Error('card network down')
      return payment.processOrder(order)
    })
    const { metrics, publish, dlq } = await startDelivery(fn.handler, {}, fn.metrics)
    await publish(orderJson('d-2'))
    await expect.poll(() => count(metrics, 'processed'), { timeout: 5000 }).toBe(1)
    expect(await count(metrics, 'failed')).toBe(1)
    expect(payment.calls).toEqual(['d-2'])
    expect(await dlq()).toEqual([])
  })

  it('when more events wait than the reserved concurrency, then no more than that run at once', async () => {
    let inFlight = 0
    let peak = 0
    const releases: Array<() => void> = []
    const fn = await theFunction(async (order) => {
      inFlight += 1
      peak = Math.max(peak, inFlight)
      await new Promise<void>((resolve) => releases.push(resolve))
      inFlight -= 1
      return { ...order, status: 'completed' }
    })
    const { metrics, publish } = await startDelivery(
      fn.handler,
      { reservedConcurrency: 2 },
      fn.metrics,
    )
    await Promise.all(['d-3', 'd-4', 'd-5', 'd-6', 'd-7'].map((id) => publish(orderJson(id))))
    for (let released = 0; released < 5; released += 1) {
      await expect.poll(() => releases.length, { timeout: 5000 }).toBeGreaterThan(0)
      expect(inFlight).toBeLessThanOrEqual(2)
      releases.shift()?.()
    }
    await expect.poll(() => count(metrics, 'processed'), { timeout: 5000 }).toBe(5)
    expect(peak).toBe(2)
  })
})
