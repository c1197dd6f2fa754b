import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { PublishCommand } from '@aws-sdk/client-sns'
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { newOrder } from '@orders/order/order'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import type { Provisioned } from '@orders/stack/provision'
import { type ServiceProcess, startService } from '@orders/stack/service-process'
import { namespacedTopology } from '@orders/stack/topology'
import { createOrderStore } from '@orders/store/store'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

const server = fileURLToPath(new URL('../../src/worker/server.ts', import.meta.url))
let aws: LocalAws
const running: ServiceProcess[] = []
beforeAll(async () => {
  aws = await startLocalAws()
})
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop()))
})
afterAll(() => aws.stop())

const anOrder = () =>
  newOrder({
    order_id: randomUUID(),
    customer_id: 3,
    items: [{ product_id: 'A', quantity: 1, price: 2 }],
  })

// The test's own queues and table, its messages invisible for that long once received.
const queuesWithVisibility = (visibilityTimeoutSeconds: number) =>
  aws.provision({ ...namespacedTopology(randomUUID().slice(0, 8)), visibilityTimeoutSeconds })

// A processor as its task runs it, on the test's queue and table.
async function processor(queues: Provisioned, env: Record<string, string> = {}) {
  const service = await startService('processor', server, {
    ...aws.env,
    ORDERS_QUEUE_URL: queues.queueUrl,
    ORDERS_TABLE_NAME: queues.tableName,
    ...env,
  })
  running.push(service)
  await service.line((l) => l.msg === 'consuming')
  return service
}

// The SQS body Copilot's subscription delivers for one SNS message, the same each time it is sent.
function envelope(queues: Provisioned, message: unknown) {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: queues.topicArn,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
  })
}

async function sendCopies(queueUrl: string, bodies: string[]) {
  for (let i = 0; i < bodies.length; i += 10) {
    const Entries = bodies
      .slice(i, i + 10)
      .map((MessageBody, n) => ({ Id: String(n), MessageBody }))
    await aws.clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }))
  }
}

const sum = async (services: ServiceProcess[], metric: string) =>
  (await Promise.all(services.map((s) => s.metric(metric)))).reduce<number>(
    (total, value) => total + (value ?? 0),
    0,
  )

describe('processors sharing one queue and one table', () => {
  it('when every message of every order is delivered four times to two processors, then each order is paid once', async () => {
    // A short lease and visibility timeout, so that a copy that found its order held, or the
    // table slow, comes back within seconds.
    const queues = await queuesWithVisibility(6)
    const settings = {
      PROCESSOR_CONCURRENCY: '10',
      PROCESSING_TIME_MS: '100',
      ORDER_LEASE_SECONDS: '5',
      STORE_TIMEOUT_MS: '3000',
    }
    const both = [await processor(queues, settings), await processor(queues, settings)]
    const orders = Array.from({ length: 20 }, anOrder)
    const copies = orders.flatMap((order) => Array(4).fill(envelope(queues, order)) as string[])
    await sendCopies(
      queues.queueUrl,
      copies.sort(() => Math.random() - 0.5),
    )

    await expect
      .poll(() => sum(both, 'orders_duplicate_total'), { timeout: 40_000 })
      .toBe(orders.length * 3)
    expect(await sum(both, 'orders_processed_total')).toBe(orders.length)
    const store = createOrderStore({ client: aws.clients.dynamodb, tableName: queues.tableName })
    for (const order of orders) {
      // One claim per order: the only way to the payment.
      expect(await store.get(order.order_id)).toMatchObject({ status: 'completed', attempts: 1 })
    }
    const completions = both.flatMap((s) => s.lines((l) => l.msg === 'order completed'))
    expect(completions).toHaveLength(orders.length)
  }, 60_000)

  it('when a processor is killed mid-payment, then after its lease another completes the order, once', async () => {
    // The message comes back 3 s after the crash; the 2 s lease has ended by then.
    const queues = await queuesWithVisibility(3)
    const settings = {
      PROCESSING_TIME_MS: '1500',
      ORDER_LEASE_SECONDS: '2',
      STORE_TIMEOUT_MS: '400',
    }
    const first = await processor(queues, settings)
    const order = anOrder()
    await aws.clients.sns.send(
      new PublishCommand({ TopicArn: queues.topicArn, Message: JSON.stringify(order) }),
    )
    const store = createOrderStore({ client: aws.clients.dynamodb, tableName: queues.tableName })
    await expect
      .poll(async () => (await store.get(order.order_id))?.status, { timeout: 10_000 })
      .toBe('processing')
    first.child.process.kill('SIGKILL')
    await first.child.exited

    const second = await processor(queues, settings)
    await second.line((l) => l.msg === 'order completed' && l.orderId === order.order_id, 30_000)
    expect(await second.metric('orders_processed_total')).toBe(1)
    expect(first.lines((l) => l.msg === 'order completed')).toEqual([])
    expect(await store.get(order.order_id)).toMatchObject({
      status: 'completed',
      attempts: 2,
      leaseOwner: undefined,
    })
  }, 60_000)
})
