import { randomUUID } from 'node:crypto'
import { PublishCommand } from '@aws-sdk/client-sns'
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import { newOrder } from '@orders/order/order'
import { recordingPayment } from '@orders/order/testing'
import { createSnsHandler, type SnsHandler } from '@orders/processor/lambda'
import { createMetrics, type ProcessorMetrics } from '@orders/processor/metrics'
import type { SNSEvent } from 'aws-lambda'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type LocalAws, startLocalAws } from '../src/emulator.ts'
import { createLambdaDelivery, type LambdaDelivery } from '../src/lambda/delivery.ts'
import { parseEmulationConfig } from '../src/lambda/emulation-config.ts'
import { snsEventFromBody } from '../src/lambda/event.ts'
import { namespacedTopology } from '../src/topology.ts'

let aws: LocalAws
const running: LambdaDelivery[] = []
beforeAll(async () => {
  aws = await startLocalAws()
})
afterEach(async () => {
  await Promise.all(running.splice(0).map((delivery) => delivery.drain()))
})
afterAll(async () => {
  await aws.stop()
})

const orderJson = (id: string) =>
  JSON.stringify(
    newOrder({ order_id: id, customer_id: 2, items: [{ product_id: 'C', quantity: 1, price: 9 }] }),
  )

type Overrides = { reservedConcurrency?: number; timeoutMs?: number; maxEventAgeSeconds?: number }

async function startDelivery(handler: SnsHandler, overrides: Overrides = {}) {
  const queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
  const metrics = createMetrics()
  const delivery = createLambdaDelivery({
    sqs: aws.clients.sqs,
    queueUrl: queues.queueUrl,
    onFailureUrl: queues.dlqUrl,
    handler,
    functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
    reservedConcurrency: overrides.reservedConcurrency ?? 2,
    maxRetries: 2,
    retryDelaySeconds: 0,
    timeoutMs: overrides.timeoutMs ?? 5000,
    maxEventAgeSeconds: overrides.maxEventAgeSeconds ?? 3600,
    metrics,
    logger: pino({ level: 'silent' }),
  })
  running.push(delivery)
  delivery.start()
  const publish = (message: string) =>
    aws.clients.sns.send(new PublishCommand({ TopicArn: queues.topicArn, Message: message }))
  const dlq = async () => {
    const { Messages = [] } = await aws.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    )
    return Messages.map((m) => JSON.parse(m.Body ?? '') as Record<string, unknown>)
  }
  return { metrics, publish, dlq }
}

const count = async (metrics: ProcessorMetrics, name: 'processed' | 'failed' | 'poison') =>
  (await metrics.registry.getSingleMetric(`orders_${name}_total`)?.get())?.values[0]?.value ?? 0

describe('emulation of SNS -> Lambda async delivery', () => {
  it('when an order is published, then the handler gets it as one SNS record and it counts as processed', async () => {
    const events: SNSEvent[] = []
    const { metrics, publish } = await startDelivery(async (event) => {
      events.push(event)
    })
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
    const handler = createSnsHandler({
      processOrder: recordingPayment().processOrder,
      logger: pino({ level: 'silent' }),
    })
    const { metrics, publish, dlq } = await startDelivery(handler)
    await publish('not an order')
    await expect.poll(() => count(metrics, 'poison'), { timeout: 8000 }).toBe(3)
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
    const handler = createSnsHandler({
      processOrder: async (order) => {
        if (failures-- > 0) throw new Error('card network down')
        return payment.processOrder(order)
      },
      logger: pino({ level: 'silent' }),
    })
    const { metrics, publish, dlq } = await startDelivery(handler)
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
    const { metrics, publish } = await startDelivery(
      async () => {
        inFlight += 1
        peak = Math.max(peak, inFlight)
        await new Promise<void>((resolve) => releases.push(resolve))
        inFlight -= 1
      },
      { reservedConcurrency: 2 },
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

describe('emulation of the limits', () => {
  it('when an invocation outlasts the timeout, then it fails like a timed-out Lambda and ends in the DLQ', async () => {
    const never = () => new Promise<void>(() => {})
    const { metrics, publish, dlq } = await startDelivery(never, { timeoutMs: 50 })
    await publish(orderJson('d-8'))
    await expect.poll(() => count(metrics, 'failed'), { timeout: 8000 }).toBe(3)
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
})

describe('SNS event from an SQS body', () => {
  it('when fauxqs writes Subject null, then the record has no Subject and AWS spellings', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
      Message: 'hello',
      Subject: null,
      MessageAttributes: {},
      SigningCertURL: 'https://cert',
      UnsubscribeURL: 'https://unsubscribe',
    })
    const [record] = snsEventFromBody(body, 'sub').Records
    expect(record).toMatchObject({
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:orders:sub',
      Sns: {
        MessageId: 'm-1',
        Message: 'hello',
        SigningCertUrl: 'https://cert',
        UnsubscribeUrl: 'https://unsubscribe',
      },
    })
    expect(record?.Sns).not.toHaveProperty('Subject')
  })

  it('when the body is no SNS notification, then it is passed on as the message for the function to judge', () => {
    expect(snsEventFromBody('raw text', 'sub').Records[0]?.Sns.Message).toBe('raw text')
  })
})

describe('emulation config', () => {
  const base = {
    ORDERS_QUEUE_URL: 'http://127.0.0.1:1/q',
    ORDERS_DLQ_URL: 'http://127.0.0.1:1/dlq',
  }

  it("when only the queues are set, then it runs with the addon's numbers", () => {
    expect(parseEmulationConfig(base)).toMatchObject({
      reservedConcurrency: 10,
      maxRetries: 2,
      timeoutMs: 10_000,
      maxEventAgeSeconds: 21_600,
    })
  })

  it("when the DLQ is missing or the timeout outlasts the queue's visibility, then it says so", () => {
    expect(() => parseEmulationConfig({ ORDERS_QUEUE_URL: base.ORDERS_QUEUE_URL })).toThrow(
      /ORDERS_DLQ_URL/,
    )
    expect(() => parseEmulationConfig({ ...base, LAMBDA_TIMEOUT_SECONDS: '60' })).toThrow(
      /LAMBDA_TIMEOUT_SECONDS/,
    )
  })
})
