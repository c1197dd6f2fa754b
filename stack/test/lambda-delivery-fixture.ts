import { randomUUID } from 'node:crypto'
import { PublishCommand } from '@aws-sdk/client-sns'
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import { newOrder } from '@orders/order/order'
import type { ProcessOrder } from '@orders/order/payment'
import { recordingPayment } from '@orders/order/testing'
import { createSnsHandler, type SnsHandler } from '@orders/processor/lambda'
import { createMetrics, type ProcessorMetrics } from '@orders/processor/metrics'
import { createOrderStore } from '@orders/store/store'
import { type Logger, pino } from 'pino'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { type LocalAws, startLocalAws } from '../src/emulator.ts'
import { createLambdaDelivery, type LambdaDelivery } from '../src/lambda/delivery.ts'
import { ensureTable } from '../src/table-provision.ts'
import { namespacedTopology } from '../src/topology.ts'

type Overrides = {
  reservedConcurrency?: number
  timeoutMs?: number
  maxEventAgeSeconds?: number
  onFailureUrl?: string
  logger?: Logger
}

// One emulator per test file; each delivery gets its own topic, queue and DLQ, and is drained
// after its test.
export function deliveryFixture() {
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

  async function startDelivery(
    handler: SnsHandler,
    overrides: Overrides = {},
    metrics: ProcessorMetrics = createMetrics(),
  ) {
    const queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
    const delivery = createLambdaDelivery({
      sqs: aws.clients.sqs,
      queueUrl: queues.queueUrl,
      onFailureUrl: overrides.onFailureUrl ?? queues.dlqUrl,
      handler,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
      reservedConcurrency: overrides.reservedConcurrency ?? 2,
      maxRetries: 2,
      retryDelaySeconds: 0,
      timeoutMs: overrides.timeoutMs ?? 5000,
      maxEventAgeSeconds: overrides.maxEventAgeSeconds ?? 3600,
      registry: metrics.registry,
      logger: overrides.logger ?? pino({ level: 'silent' }),
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
    return { metrics, publish, dlq, queues }
  }
  // The function as the emulation builds it, with the payment the test gives, on a table of its
  // own: its order core counts the orders into `metrics`, where the delivery counts its
  // invocations too.
  async function theFunction(processOrder: ProcessOrder = recordingPayment().processOrder) {
    const metrics = createMetrics()
    const { tableName } = await ensureTable(aws.clients.dynamodb, `orders-${randomUUID()}`)
    const handler = createSnsHandler({
      processOrder,
      store: createOrderStore({ client: aws.clients.dynamodb, tableName, hooks: metrics.store }),
      owner: randomUUID(),
      leaseMs: 5000,
      logger: pino({ level: 'silent' }),
      metrics: metrics.orders,
    })
    return { handler, metrics }
  }

  return { startDelivery, theFunction }
}

export const orderJson = (id: string) =>
  JSON.stringify(
    newOrder({ order_id: id, customer_id: 2, items: [{ product_id: 'C', quantity: 1, price: 9 }] }),
  )

export const count = async (metrics: ProcessorMetrics, name: 'processed' | 'failed' | 'poison') =>
  (await metrics.registry.getSingleMetric(`orders_${name}_total`)?.get())?.values[0]?.value ?? 0

// Lambda's own count of failed invocations, by the errorType it records.
export const errors = async (metrics: ProcessorMetrics, errorType: string) => {
  const metric = await metrics.registry.getSingleMetric('lambda_errors_total')?.get()
  return metric?.values.find((v) => v.labels.error_type === errorType)?.value ?? 0
}
