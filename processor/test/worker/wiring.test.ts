import { randomUUID } from 'node:crypto'
import { type Message, SendMessageCommand } from '@aws-sdk/client-sqs'
import { anOrder } from '@orders/order/testing'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { namespacedTopology } from '@orders/stack/topology'
import { createOrderStore } from '@orders/store/store'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { createMetrics } from '../../src/core/metrics.ts'
import { parseConfig } from '../../src/worker/config.ts'
import { createOrderHandler, createSqsClient } from '../../src/worker/wiring.ts'
import { sqsBody } from '../core/deliveries.ts'
import { capturingLogger } from '../log-lines.ts'

// What server.ts builds from its configuration, checked on its own.
let aws: LocalAws
beforeAll(async () => {
  aws = await startLocalAws()
})
afterAll(() => aws.stop())

const configFor = (queueUrl: string, tableName = 'orders-unused') =>
  parseConfig({
    ORDERS_QUEUE_URL: queueUrl,
    ORDERS_TABLE_NAME: tableName,
    AWS_ENDPOINT_URL: aws.env.AWS_ENDPOINT_URL,
    AWS_REGION: aws.env.AWS_REGION,
    PROCESSING_TIME_MS: '1',
  })

// The process's credentials, as the task role gives them on AWS (placeholders here), and the
// table's endpoint, which the SDK reads from the environment as the server's client does.
function stubProcessEnv() {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local')
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local')
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', aws.env.AWS_ENDPOINT_URL_DYNAMODB)
  onTestFinished(() => {
    vi.unstubAllEnvs()
  })
}

type Agent = { maxSockets: number; keepAlive: boolean }

describe('the worker wiring', () => {
  it('when the SQS client is built, then it reaches the configured endpoint over kept-alive sockets, as many as asked', async () => {
    const { queueUrl } = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
    stubProcessEnv()
    const sqs = createSqsClient(configFor(queueUrl), 7)
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }))
      expect(await sqs.config.region()).toBe(aws.env.AWS_REGION)
      const handler = sqs.config.requestHandler as unknown as {
        httpHandlerConfigs: () => { httpsAgent: Agent }
      }
      const { httpsAgent } = handler.httpHandlerConfigs()
      expect([httpsAgent.maxSockets, httpsAgent.keepAlive]).toEqual([7, true])
    } finally {
      sqs.destroy()
    }
  })

  it('when the order handler gets a message, then it pays, records it in the configured table and counts it', async () => {
    const { tableName } = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
    stubProcessEnv()
    const { logger, logs } = capturingLogger()
    const metrics = createMetrics()
    const handle = createOrderHandler(
      configFor('http://127.0.0.1:1/000000000000/q', tableName),
      logger,
      metrics,
    )
    const order = anOrder()
    const message: Message = { MessageId: randomUUID(), Body: sqsBody(order) }

    await expect(handle(message)).resolves.toMatchObject({ kind: 'completed' })
    expect((await metrics.processed.get()).values[0]?.value).toBe(1)
    // Without the attribute SQS sends, the delivery counts as the first.
    expect(logs.at(-1)).toMatchObject({ msg: 'order completed', receiveCount: 1 })
    await expect(handle(message)).resolves.toMatchObject({ kind: 'duplicate' })
    const store = createOrderStore({ client: aws.clients.dynamodb, tableName })
    expect(await store.get(order.order_id)).toMatchObject({ status: 'completed', attempts: 1 })
  })
})
