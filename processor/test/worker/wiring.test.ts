import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
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

  it('when many orders reach the table at once, then at most STORE_MAX_IN_FLIGHT requests are in flight and every order completes', async () => {
    const { tableName } = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
    stubProcessEnv()
    const counter = await countingProxy(new URL(aws.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''))
    onTestFinished(() => counter.close())
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', counter.endpoint)
    const config = parseConfig({
      ORDERS_QUEUE_URL: 'http://127.0.0.1:1/000000000000/q',
      ORDERS_TABLE_NAME: tableName,
      AWS_REGION: aws.env.AWS_REGION,
      PROCESSING_TIME_MS: '1',
      STORE_MAX_IN_FLIGHT: '3',
    })
    const handle = createOrderHandler(config, capturingLogger().logger, createMetrics())
    const messages = Array.from(
      { length: 12 },
      (): Message => ({
        MessageId: randomUUID(),
        Body: sqsBody(anOrder()),
      }),
    )

    const outcomes = await Promise.all(messages.map((message) => handle(message)))
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(messages.map(() => 'completed'))
    // A claim and a completion per order, three at a time.
    expect(counter.requests()).toBe(24)
    expect(counter.mostAtOnce()).toBe(3)
  })
})

// An HTTP forwarder that counts the requests it carries and the most it carried at once.
async function countingProxy(target: URL) {
  let inFlight = 0
  let most = 0
  let total = 0
  const server = createServer((req, res) => {
    inFlight += 1
    total += 1
    most = Math.max(most, inFlight)
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
        answer.on('end', () => {
          inFlight -= 1
        })
      },
    )
    req.pipe(upstream)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => total,
    mostAtOnce: () => most,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
