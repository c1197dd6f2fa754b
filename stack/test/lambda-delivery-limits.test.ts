import type { SNSEvent } from 'aws-lambda'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { count, deliveryFixture, errors, orderJson } from './lambda-delivery-fixture.ts'

const { startDelivery } = deliveryFixture()

describe('emulation of the limits', () => {
  it('when an invocation outlasts the timeout, then it fails like a timed-out Lambda and ends in the DLQ', async () => {
    const never = () => new Promise<void>(() => {})
    const { metrics, publish, dlq } = await startDelivery(never, { timeoutMs: 50 })
    await publish(orderJson('d-8'))
    // Lambda counts a timed-out invocation; the function never gets to count anything.
    await expect.poll(() => errors(metrics, 'Sandbox.Timedout'), { timeout: 8000 }).toBe(3)
    expect(await count(metrics, 'failed')).toBe(0)
    const records: Record<string, unknown>[] = []
    await expect.poll(async () => records.push(...(await dlq())), { timeout: 5000 }).toBe(1)
    expect(records[0]).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      responsePayload: { errorType: 'Sandbox.Timedout' },
    })
  })

  it('when an event reaches the event-age limit, then it goes to the DLQ without an invocation', async () => {
    const events: SNSEvent[] = []
    const record = async (event: SNSEvent) => {
      events.push(event)
    }
    const { publish, dlq } = await startDelivery(record, { maxEventAgeSeconds: 0 })
    const message = orderJson('d-9')
    await publish(message)
    const records: Record<string, unknown>[] = []
    await expect.poll(async () => records.push(...(await dlq())), { timeout: 5000 }).toBe(1)
    expect(records[0]).toMatchObject({
      requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 0 },
      requestPayload: { Records: [{ Sns: { Message: message } }] },
    })
    expect(records[0]).not.toHaveProperty('responsePayload')
    expect(events).toEqual([])
  })

  it('when the on-failure destination cannot be reached, then the failure is logged, not swallowed', async () => {
    const lines: Array<Record<string, unknown>> = []
    const logger = pino({}, { write: (line: string) => lines.push(JSON.parse(line)) })
    const events: SNSEvent[] = []
    const { publish } = await startDelivery(async (event) => void events.push(event), {
      maxEventAgeSeconds: 0,
      onFailureUrl: 'http://127.0.0.1:1/000000000000/no-such-queue',
      logger,
    })
    await publish(orderJson('d-10'))
    const failing = () =>
      lines.find((l) => l.msg === 'lambda delivery failing; retrying with backoff')
    await expect.poll(failing, { timeout: 8000 }).toMatchObject({
      operation: 'lambda delivery',
      error: expect.stringContaining('Error'),
    })
    expect(lines.filter((l) => l.msg === 'event sent to the on-failure destination')).toEqual([])
    expect(events).toEqual([])
  })
})
