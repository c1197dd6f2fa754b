import { randomUUID } from 'node:crypto'
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import type { Order } from '@orders/order/order'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import type { Provisioned } from '@orders/stack/provision'
import { namespacedTopology } from '@orders/stack/topology'
import type { StoreOptions } from '@orders/store/store'
import { afterAll, beforeAll, expect } from 'vitest'
import { createMetrics, type ReceiverMetrics } from '../src/metrics.ts'
import { createRecords } from '../src/records.ts'

// One pair of emulators per test file, with a topic, queues and a table of its own: no file reads
// another's orders.
export function useLocalAws() {
  const local = {} as { aws: LocalAws; queues: Provisioned }
  beforeAll(async () => {
    local.aws = await startLocalAws()
    local.queues = await local.aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
  })
  afterAll(() => local.aws?.stop())
  return local
}

// One receive from the file's queue: each message's order id and SNS MessageId.
async function receiveOrders(local: ReturnType<typeof useLocalAws>) {
  const { Messages = [] } = await local.aws.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: local.queues.queueUrl, MaxNumberOfMessages: 10 }),
  )
  return Messages.map((message) => {
    const envelope = JSON.parse(message.Body ?? '{}')
    return {
      orderId: (JSON.parse(envelope.Message) as Order).order_id,
      messageId: envelope.MessageId,
    }
  })
}

// The SNS MessageId each order arrived with on the file's queue, by order id, once at least
// `count` have arrived.
export async function queuedMessages(
  local: ReturnType<typeof useLocalAws>,
  count: number,
): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  await expect
    .poll(
      async () => {
        for (const { orderId, messageId } of await receiveOrders(local))
          found.set(orderId, messageId)
        return found.size
      },
      { timeout: 5000 },
    )
    .toBeGreaterThanOrEqual(count)
  return found
}

// The environment a receiver process needs for this file's topic and table.
export function receiverEnv(local: ReturnType<typeof useLocalAws>): Record<string, string> {
  return {
    ...local.aws.env,
    ORDERS_TOPIC_ARN: local.queues.topicArn,
    ORDERS_TABLE_NAME: local.queues.tableName,
  }
}

// The file's table as the receiver uses it, timed into `metrics` like the server's.
export function recordsOn(
  local: ReturnType<typeof useLocalAws>,
  metrics: ReceiverMetrics = createMetrics(),
  options: Partial<StoreOptions> = {},
) {
  return createRecords({
    client: local.aws.clients.dynamodb,
    tableName: local.queues.tableName,
    timeoutMs: 2000,
    hooks: metrics.store,
    ...options,
  })
}

// How many messages of `orderId` the file's queue holds, counted once `last` has arrived: an
// order published after the one a test asks about is the barrier that proves none of it is late.
export async function timesQueued(
  local: ReturnType<typeof useLocalAws>,
  orderId: string,
  last: string,
): Promise<number> {
  const ids: string[] = []
  await expect
    .poll(
      async () => {
        for (const { orderId: id } of await receiveOrders(local)) ids.push(id)
        return ids.includes(last)
      },
      { timeout: 5000 },
    )
    .toBe(true)
  return ids.filter((id) => id === orderId).length
}
