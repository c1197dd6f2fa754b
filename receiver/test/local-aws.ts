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
        const { Messages = [] } = await local.aws.clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: local.queues.queueUrl, MaxNumberOfMessages: 10 }),
        )
        for (const message of Messages) {
          const envelope = JSON.parse(message.Body ?? '{}')
          found.set((JSON.parse(envelope.Message) as Order).order_id, envelope.MessageId)
        }
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

// Every order id on the file's queue, once per message, up to and including `last`: an order
// published after the ones a test asks about is the barrier that proves none of theirs is late.
export async function orderIdsUntil(
  local: ReturnType<typeof useLocalAws>,
  last: string,
): Promise<string[]> {
  const ids: string[] = []
  await expect
    .poll(
      async () => {
        const { Messages = [] } = await local.aws.clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: local.queues.queueUrl, MaxNumberOfMessages: 10 }),
        )
        for (const message of Messages) {
          ids.push((JSON.parse(JSON.parse(message.Body ?? '{}').Message) as Order).order_id)
        }
        return ids.includes(last)
      },
      { timeout: 5000 },
    )
    .toBe(true)
  return ids
}
