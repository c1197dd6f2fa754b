// Throughput of the consumer pool against the naive design (one sqs-consumer, batches of 10),
// on the in-process emulator with a jittered payment step. Prints orders/s and ratios; run with
// `npm run bench`. Absolute numbers depend on the machine; the ratios are the point.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Message, SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { newOrder } from '@orders/order/order'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { namespacedTopology } from '@orders/stack/topology'
import { pino } from 'pino'
import { Consumer } from 'sqs-consumer'
import { createConsumerPool } from '../src/consumers.ts'
import { createMessageHandler, isPoison } from '../src/handler.ts'
import { createIdempotencyRecord } from '../src/idempotency.ts'
import { createMetrics } from '../src/metrics.ts'

const ORDERS = 600
const MEAN_MS = 150
const logger = pino({ level: 'silent' })

// 50–250 ms: real payments vary, and variation is what starves a batch-at-a-time consumer.
const jitteredPayment = async <T>(order: T) => {
  await sleep(MEAN_MS - 100 + Math.random() * 200)
  return order
}

async function fillQueue(aws: LocalAws, queueUrl: string) {
  for (let sent = 0; sent < ORDERS; sent += 10) {
    const Entries = Array.from({ length: 10 }, (_, i) => {
      const order = newOrder({
        order_id: randomUUID(),
        customer_id: 1,
        items: [{ product_id: 'A', quantity: 1, price: 1 }],
      })
      const envelope = {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: 'arn:t',
        Message: JSON.stringify(order),
      }
      return { Id: String(i), MessageBody: JSON.stringify(envelope) }
    })
    await aws.clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }))
  }
}

type Runner = { start: () => void; stop: () => Promise<void> }

async function measure(
  aws: LocalAws,
  label: string,
  build: (queueUrl: string, done: () => void) => Runner,
) {
  const { queueUrl } = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
  await fillQueue(aws, queueUrl)
  let processed = 0
  let finish = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const runner = build(queueUrl, () => {
    processed += 1
    if (processed === ORDERS) finish()
  })
  const started = performance.now()
  runner.start()
  await finished
  const seconds = (performance.now() - started) / 1000
  await runner.stop()
  const rate = ORDERS / seconds
  console.log(`${label.padEnd(38)} ${rate.toFixed(1).padStart(7)} orders/s`)
  return rate
}

function handlerCounting(done: () => void) {
  const handle = createMessageHandler({
    processOrder: jitteredPayment,
    record: createIdempotencyRecord(),
    logger,
    metrics: createMetrics(),
  })
  return async (message: Message) => {
    const acked = await handle(message)
    done()
    return acked
  }
}

const aws = await startLocalAws()
try {
  console.log(
    `${ORDERS} orders, payment ${MEAN_MS - 100}–${MEAN_MS + 100} ms (mean ${MEAN_MS} ms)\n`,
  )
  const naive = await measure(aws, 'one consumer, batches of 10 (baseline)', (queueUrl, done) => {
    const consumer = Consumer.create({
      sqs: aws.clients.sqs,
      queueUrl,
      batchSize: 10,
      handleMessage: handlerCounting(done),
    })
    consumer.on('error', () => {})
    return { start: () => consumer.start(), stop: async () => consumer.stop() }
  })
  for (const concurrency of [10, 20]) {
    const rate = await measure(
      aws,
      `pool, PROCESSOR_CONCURRENCY=${concurrency}`,
      (queueUrl, done) => {
        const pool = createConsumerPool({
          sqs: aws.clients.sqs,
          queueUrl,
          concurrency,
          handleMessage: handlerCounting(done),
          isPoison,
          retryDelaySeconds: 0,
          logger,
        })
        return { start: pool.start, stop: pool.drain }
      },
    )
    const ideal = concurrency / (MEAN_MS / 1000)
    console.log(
      `${''.padEnd(38)} ${(rate / naive).toFixed(2)}x baseline, ${((100 * rate) / ideal).toFixed(0)}% of N ÷ mean time (${ideal.toFixed(1)}/s)`,
    )
  }
} finally {
  await aws.stop()
}
