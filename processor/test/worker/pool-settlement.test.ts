import { randomUUID } from 'node:crypto'
import { type Message, SendMessageCommand } from '@aws-sdk/client-sqs'
import { anOrder, recordingPayment } from '@orders/order/testing'
import { topology } from '@orders/stack/topology'
import { createOrderStore } from '@orders/store/store'
import { describe, expect, it, onTestFinished } from 'vitest'
import { createMetrics } from '../../src/core/metrics.ts'
import type { Outcome } from '../../src/core/order-core.ts'
import { createConsumerPool } from '../../src/worker/pool.ts'
import { createMessageHandler } from '../../src/worker/wiring.ts'
import { capturingLogger } from '../log-lines.ts'
import { poolFixture } from './pool-fixture.ts'
import { spyingSqs } from './sqs-spy.ts'

// What becomes of a message after its outcome, as the worker's SQS calls and metrics show it.
const fixture = poolFixture()
const RETRY_DELAY_SECONDS = 7

function poolWith(
  spy: ReturnType<typeof spyingSqs>,
  handleMessage?: (message: Message) => Promise<Outcome>,
) {
  const { logger, logs } = capturingLogger()
  const metrics = createMetrics()
  const payment = recordingPayment((order) => order.order_id.startsWith('declined-'))
  const pool = createConsumerPool({
    sqs: spy.sqs,
    queueUrl: fixture.queues.queueUrl,
    concurrency: 2,
    handleMessage:
      handleMessage ??
      createMessageHandler({
        processOrder: payment.processOrder,
        store: createOrderStore({
          client: fixture.aws.clients.dynamodb,
          tableName: fixture.queues.tableName,
          hooks: metrics.store,
        }),
        owner: randomUUID(),
        leaseMs: 25_000,
        maxAttempts: topology.maxReceiveCount,
        logger,
        metrics: metrics.orders,
      }),
    retryDelaySeconds: RETRY_DELAY_SECONDS,
    logger,
    metrics,
  })
  onTestFinished(() => pool.drain())
  pool.start()
  const counter = async (name: string) =>
    (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value
  const visibilityChanges = () =>
    spy.commands('ChangeMessageVisibilityCommand').map((command) => command.input.VisibilityTimeout)
  return { logs, counter, visibilityChanges }
}

const send = async (body: string) => {
  const { MessageId = '' } = await fixture.aws.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: fixture.queues.queueUrl, MessageBody: body }),
  )
  return MessageId
}

describe('settling a message by its outcome', () => {
  it('when the payment fails, then the message comes back after the retry delay, not at once', async () => {
    const spy = spyingSqs(fixture.aws)
    const { counter, visibilityChanges } = poolWith(spy)
    await fixture.publish({ ...anOrder(), order_id: `declined-${randomUUID()}` })

    await expect.poll(visibilityChanges, { timeout: 5000 }).toEqual([RETRY_DELAY_SECONDS])
    expect(await counter('orders_failed_total')).toBe(1)
    expect(spy.commands('DeleteMessageBatchCommand')).toEqual([])
  })

  it('when the message is poison, then it comes back at once, whatever the retry delay', async () => {
    const spy = spyingSqs(fixture.aws)
    const { counter, visibilityChanges } = poolWith(spy)
    await send('not an order')

    // Visible at once, it is received again until the redrive policy takes it to the DLQ.
    await expect.poll(visibilityChanges, { timeout: 5000 }).toContain(0)
    expect(new Set(visibilityChanges())).toEqual(new Set([0]))
    expect(await counter('orders_poison_total')).toBeGreaterThanOrEqual(1)
  })

  it('when the handler throws, then the line names the message, and it comes back after the retry delay', async () => {
    const spy = spyingSqs(fixture.aws)
    const { logs, visibilityChanges } = poolWith(spy, () =>
      Promise.reject(new Error('a defect in the core')),
    )
    const messageId = await send('anything')

    await expect.poll(visibilityChanges, { timeout: 5000 }).toEqual([RETRY_DELAY_SECONDS])
    expect(logs.find((line) => line.msg === 'order handler threw; will be retried')).toMatchObject({
      level: 50,
      messageId,
      err: expect.objectContaining({ message: 'a defect in the core' }),
    })
  })

  it('when SQS refuses a completed message delete as the sender fault, then sqs_deletes_abandoned_total is 1', async () => {
    const spy = spyingSqs(fixture.aws, () => ({
      Code: 'ReceiptHandleIsInvalid',
      Message: 'expired',
      SenderFault: true,
    }))
    const { counter } = poolWith(spy)
    await fixture.publish(anOrder())

    await expect.poll(() => counter('sqs_deletes_abandoned_total'), { timeout: 5000 }).toBe(1)
    expect(await counter('orders_processed_total')).toBe(1)
  })

  it('when an order keeps failing, then each "order failed" line carries the receive count SQS gave it', async () => {
    const payment = recordingPayment(() => true)
    const started = fixture.run(payment.processOrder)
    const order = anOrder()
    await fixture.publish(order)

    const last = () => started.logs.find((l) => l.msg === 'order failed; no attempts left')
    await expect.poll(last, { timeout: 10_000 }).toBeDefined()
    const retried = started.logs.filter((l) => l.msg === 'order failed; will be retried')
    expect(retried.map((line) => line.receiveCount)).toEqual(
      Array.from({ length: topology.maxReceiveCount - 1 }, (_, i) => i + 1),
    )
    expect(last()).toMatchObject({
      level: 50,
      orderId: order.order_id,
      receiveCount: topology.maxReceiveCount,
      attempts: topology.maxReceiveCount,
    })
    expect(new Set(retried.map((line) => line.orderId))).toEqual(new Set([order.order_id]))
  })

  it('when the same order is delivered twice, then both messages are deleted, one of them as a duplicate', async () => {
    const spy = spyingSqs(fixture.aws)
    const { counter } = poolWith(spy)
    const order = anOrder()
    await fixture.publish(order)
    await fixture.publish(order)

    const deleted = () =>
      spy.commands('DeleteMessageBatchCommand').flatMap((c) => c.input.Entries as unknown[])
    await expect.poll(() => deleted().length, { timeout: 5000 }).toBe(2)
    expect(await counter('orders_duplicate_total')).toBe(1)
    expect(await counter('orders_processed_total')).toBe(1)
  })
})
