import { randomUUID } from 'node:crypto'
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import type { Order } from '@orders/order/order'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import type { Provisioned } from '@orders/stack/provision'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll, expect } from 'vitest'

// One emulator per test file, with a topic and queues of its own: no file reads another's orders.
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
