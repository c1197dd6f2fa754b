import { pino } from 'pino'
import { parseConfig } from './config.ts'
import { createConsumerPool, SLOTS_PER_RECEIVER } from './consumers.ts'
import { isPoison } from './handler.ts'
import { hostWorker } from './host.ts'
import { createMetrics } from './metrics.ts'
import { createOrderHandler, createSqsClient } from './wiring.ts'

let config: ReturnType<typeof parseConfig>
try {
  config = parseConfig(process.env)
} catch (err) {
  console.error((err as Error).message)
  process.exit(1)
}

// Asynchronous writes: at a thousand orders a second, a blocking write per order line stalls
// the event loop whenever the reader is slow. exit() flushes what is buffered: no line is lost.
const destination = pino.destination({ sync: false })
const logger = pino({ name: 'processor', level: config.logLevel }, destination)
function exit(code: number): never {
  destination.flushSync()
  process.exit(code)
}
const metrics = createMetrics()
// Each receiver keeps one 20 s long poll open; deletes and visibility changes go in batches and
// return in milliseconds, so a few dozen sockets beside the polls keep them from ever queueing.
const receivers = Math.ceil(config.concurrency / SLOTS_PER_RECEIVER)
const pool = createConsumerPool({
  sqs: createSqsClient(config, receivers + 32),
  queueUrl: config.queueUrl,
  concurrency: config.concurrency,
  handleMessage: createOrderHandler(config, logger, metrics),
  isPoison,
  retryDelaySeconds: config.retryDelaySeconds,
  logger,
  metrics,
})

hostWorker({
  host: config.host,
  port: config.port,
  metricsPort: config.metricsPort,
  registry: metrics.registry,
  logger,
  work: pool,
  exit,
  onStarted: () =>
    logger.info(
      {
        host: config.host,
        port: config.port,
        queueUrl: config.queueUrl,
        concurrency: config.concurrency,
      },
      'consuming',
    ),
})
