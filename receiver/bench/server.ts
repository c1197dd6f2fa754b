// One receiver for the bench, run as its own process by receiver.ts: the real app, publishing to
// the emulator (BENCH_PUBLISHER=sns, batching per PUBLISH_LINGER_MS) or answering at once
// (BENCH_PUBLISHER=noop). SDK middleware counts the HTTP requests sent to SNS, retries included.
import { createPayment } from '@orders/order/payment'
import { awsClients } from '@orders/stack/aws'
import { pino } from 'pino'
import { createApp } from '../src/app.ts'
import type { PublishOrder } from '../src/message.ts'
import { createMetrics } from '../src/metrics.ts'
import { createPublisher } from '../src/publisher.ts'

const { sns } = awsClients(process.env)
let snsRequests = 0
// The deserialize step runs once per attempt, inside the SDK's retry loop.
sns.middlewareStack.add(
  (next) => (args) => {
    snsRequests += 1
    return next(args)
  },
  { step: 'deserialize', name: 'countSnsRequests' },
)

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

const app = createApp({
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
    snsRequests,
    batchedOrders: sum?.value ?? 0,
    batches: count?.value ?? 0,
    serverCpuMs: cpuMs() - cpuAtReady,
  })
})

function cpuMs() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
