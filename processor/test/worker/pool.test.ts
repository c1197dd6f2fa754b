import { randomUUID } from 'node:crypto'
import { PublishCommand } from '@aws-sdk/client-sns'
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { anOrder, recordingPayment } from '@orders/order/testing'
import { topology } from '@orders/stack/topology'
import { describe, expect, it } from 'vitest'
import { poolFixture } from './pool-fixture.ts'
import { spyingSqs } from './sqs-spy.ts'

const fixture = poolFixture()
const { run, publish } = fixture
const counter = fixture.metric

async function dlqBodies(): Promise<string[]> {
  const { Messages = [] } = await fixture.aws.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: fixture.queues.dlqUrl, MaxNumberOfMessages: 10 }),
  )
  return Messages.map((message) => message.Body ?? '')
}

describe('orders queue consumer', () => {
  it('when an order event arrives, then the payment runs once and it is logged completed', async () => {
    const payment = recordingPayment()
    const started = run(payment.processOrder)
    const order = anOrder()
    await publish(order)
    await expect
      .poll(() => started.logs.find((l) => l.msg === 'order completed'), { timeout: 5000 })
      .toMatchObject({ orderId: order.order_id, durationMs: expect.any(Number) })
    expect(payment.calls).toEqual([order.order_id])
    expect(await counter(started, 'orders_processed_total')).toBe(1)
  })

  it('when an order keeps failing, then it is retried maxReceiveCount times and lands in the DLQ', async () => {
    const payment = recordingPayment(() => true)
    const started = run(payment.processOrder)
    const order = anOrder()
    await publish(order)
    await expect
      .poll(async () => (await dlqBodies()).some((body) => body.includes(order.order_id)), {
        timeout: 10_000,
      })
      .toBe(true)
    expect(payment.calls).toEqual(Array(topology.maxReceiveCount).fill(order.order_id))
    expect(await counter(started, 'orders_failed_total')).toBe(topology.maxReceiveCount)
    expect(await counter(started, 'orders_processed_total')).toBe(0)
    // Its status says so: failed for good, after as many attempts.
    expect(await started.store.get(order.order_id)).toMatchObject({
      status: 'failed',
      attempts: topology.maxReceiveCount,
      lastError: 'payment_failed',
    })
  })

  it('when poison names a readable order_id, then that order ends failed and the DLQ holds the message', async () => {
    const payment = recordingPayment()
    const started = run(payment.processOrder)
    const orderId = randomUUID()
    await fixture.aws.clients.sns.send(
      new PublishCommand({
        TopicArn: fixture.queues.topicArn,
        Message: JSON.stringify({ order_id: orderId }),
      }),
    )
    await expect
      .poll(async () => (await dlqBodies()).some((body) => body.includes(orderId)), {
        timeout: 10_000,
      })
      .toBe(true)
    expect(payment.calls).toEqual([])
    expect(await started.store.get(orderId)).toMatchObject({
      status: 'failed',
      lastError: 'invalid_order',
    })
  })

  it('when an order fails once, then the redelivery completes it and the DLQ stays empty', async () => {
    let failures = 0
    const payment = recordingPayment(() => failures++ === 0)
    const started = run(payment.processOrder)
    const order = anOrder()
    await publish(order)
    await expect.poll(() => counter(started, 'orders_processed_total'), { timeout: 5000 }).toBe(1)
    expect(payment.calls).toEqual([order.order_id, order.order_id])
    expect(await dlqBodies()).toEqual([])
  })

  it.each([
    ['not JSON', () => 'definitely not json'],
    ['a raw order instead of an SNS envelope', (id: string) => JSON.stringify({ order_id: id })],
    [
      'an envelope around an invalid order',
      (id: string) =>
        JSON.stringify({ Type: 'Notification', MessageId: id, TopicArn: 'arn:x', Message: '{}' }),
    ],
  ])(
    'when the body is %s, then it is logged as poison and moved to the DLQ unprocessed',
    async (_kind, makeBody) => {
      const payment = recordingPayment()
      const started = run(payment.processOrder)
      const body = `${makeBody(randomUUID())}`
      const { MessageId } = await fixture.aws.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: fixture.queues.queueUrl, MessageBody: body }),
      )
      await expect.poll(dlqBodies, { timeout: 10_000 }).toEqual([body])
      expect(payment.calls).toEqual([])
      expect(started.logs.find((l) => l.msg === 'poison message')).toMatchObject({
        messageId: MessageId,
        reason: expect.any(String),
      })
    },
  )

  it('when the body is poison, then its reason is logged and it is made visible at once, read once', async () => {
    const spy = spyingSqs(fixture.aws)
    const started = run(recordingPayment().processOrder, 2, spy.sqs)
    const { MessageId = '' } = await fixture.aws.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: fixture.queues.queueUrl, MessageBody: 'not an order' }),
    )
    const released = () =>
      spy.commands('ChangeMessageVisibilityCommand').map((c) => c.input.VisibilityTimeout)
    await expect.poll(released, { timeout: 5000 }).toContain(0)
    expect(spy.bodyReads.get(MessageId)).toBe(1)
    expect(started.logs.find((l) => l.msg === 'poison message')).toMatchObject({
      messageId: MessageId,
      reason: 'body is not JSON',
    })
  })

  it('when the same order is delivered twice, then the payment runs once and both are deleted', async () => {
    const payment = recordingPayment()
    const started = run(payment.processOrder)
    const order = anOrder()
    await publish(order)
    await publish(order)
    await expect.poll(() => counter(started, 'orders_duplicate_total'), { timeout: 5000 }).toBe(1)
    expect(payment.calls).toEqual([order.order_id])
    expect(await counter(started, 'orders_processed_total')).toBe(1)
  })

  it('when more orders wait than the concurrency, then exactly that many are in flight', async () => {
    let inFlight = 0
    let most = 0
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const started = run(async (order) => {
      inFlight += 1
      most = Math.max(most, inFlight)
      await gate
      inFlight -= 1
      return { ...order, status: 'completed' }
    }, 3)
    for (let i = 0; i < 7; i++) await publish(anOrder())
    await expect.poll(() => inFlight, { timeout: 5000 }).toBe(3)
    release()
    await expect.poll(() => counter(started, 'orders_processed_total'), { timeout: 5000 }).toBe(7)
    expect(most).toBe(3)
  })
})
