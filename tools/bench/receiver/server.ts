// One receiver for the bench, run as its own process by receiver.ts: the real app, publishing to
// the emulator (BENCH_PUBLISHER=sns, batching per PUBLISH_LINGER_MS) or answering at once
// (BENCH_PUBLISHER=noop), and recording each order in the orders table on dynalite
// (BENCH_STORE=dynamodb) or not at all (BENCH_STORE=none). SDK middleware counts the HTTP
// requests sent to SNS and to DynamoDB, retries included.
import { createPayment } from '@orders/order/payment'
import { createApp } from '@orders/receiver/app'
import type { PublishOrder } from '@orders/receiver/message'
import { createMetrics } from '@orders/receiver/metrics'
import { createPublisher } from '@orders/receiver/publisher'
import { createRecords, type ReceiverRecords } from '@orders/receiver/records'
import { awsClients } from '@orders/stack/aws'
import { S, toRecord } from '@orders/store/records'
import type { RecordResult } from '@orders/store/store'
import { pino } from 'pino'

const { sns, dynamodb } = awsClients(process.env)
const sent = { sns: 0, dynamodb: 0 }
// The deserialize step runs once per attempt, inside the SDK's retry loop.
for (const [name, client] of [
  ['sns', sns],
  ['dynamodb', dynamodb],
] as const) {
  client.middlewareStack.add(
    (next) => (args) => {
      sent[name] += 1
      return next(args)
    },
    { step: 'deserialize', name: `count${name}Requests` },
  )
}

const metrics = createMetrics()
const noop: PublishOrder = async (order) => ({ messageId: order.order_id })
const publishOrder =
  process.env.BENCH_PUBLISHER === 'noop'
    ? noop
    : createPublisher({
        sns,
        topicArn: process.env.ORDERS_TOPIC_ARN ?? '',
        timeoutMs: 5000,
        lingerMs: Number(process.env.PUBLISH_LINGER_MS),
        metrics,
      }).publishOrder

const records =
  process.env.BENCH_STORE === 'dynamodb'
    ? createRecords({
        client: dynamodb,
        tableName: process.env.ORDERS_TABLE_NAME ?? '',
        timeoutMs: 1000,
        hooks: metrics.store,
      })
    : withoutStore()

const app = createApp({
  records,
  publishOrder,
  processOrder: createPayment(1),
  // Both variants log alike; info would add one line per order to each.
  logger: pino({ level: 'warn' }),
  metrics,
  syncConcurrency: 1,
})

// CPU is counted from here: loading the modules is no part of serving an order.
let cpuAtReady = 0
const server = app.listen(0, '127.0.0.1', () => {
  cpuAtReady = cpuMs()
  const address = server.address()
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 })
})

process.on('message', async (message) => {
  if (message !== 'report') return
  const batches = await metrics.publishBatchEntries.get()
  const sum = batches.values.find((v) => v.metricName === 'sns_publish_batch_entries_sum')
  const count = batches.values.find((v) => v.metricName === 'sns_publish_batch_entries_count')
  process.send?.({
    snsRequests: sent.sns,
    dynamodbRequests: sent.dynamodb,
    batchedOrders: sum?.value ?? 0,
    batches: count?.value ?? 0,
    serverCpuMs: cpuMs() - cpuAtReady,
  })
})

// Every order new and recorded, with no request: the receiver as it would be without a table.
function withoutStore(): ReceiverRecords {
  const unused = () => Promise.reject(new Error('not used by the async bench'))
  return {
    record: async ({ orderId, requestHash }): Promise<RecordResult> => {
      const now = S(new Date().toISOString())
      const item = { order_id: S(orderId), request_hash: S(requestHash), created_at: now }
      return { kind: 'created', record: toRecord({ ...item, updated_at: now }) }
    },
    get: unused,
    claim: unused,
    complete: unused,
    release: unused,
    fail: unused,
    markUnpublished: unused,
  }
}

function cpuMs() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
