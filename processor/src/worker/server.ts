import { orExit } from '@orders/service/config'
import { createLogger } from '@orders/service/logger'
import { createMetrics } from '../core/metrics.ts'
import { parseConfig } from './config.ts'
import { hostWorker } from './host.ts'
import { pollersFor } from './pollers.ts'
import { createConsumerPool } from './pool.ts'
import { createOrderHandler, createSqsClient } from './wiring.ts'

const config = orExit(() => parseConfig(process.env))

// Asynchronous writes: at a thousand orders a second, a blocking write per order line stalls
// the event loop whenever the reader is slow. exit() flushes what is buffered: no line is lost.
const { logger, exit } = createLogger('processor', config.logLevel, { sync: false })
const metrics = createMetrics()
// Each receiver keeps one 20 s long poll open; deletes and visibility changes go in batches and
// return in milliseconds, so a few dozen sockets beside the polls keep them from ever queueing.
const receivers = pollersFor(config.concurrency)
const pool = createConsumerPool({
  sqs: createSqsClient(config, receivers + 32),
  queueUrl: config.queueUrl,
  concurrency: config.concurrency,
  handleMessage: createOrderHandler(config, logger, metrics),
  retryDelaySeconds: config.retryDelaySeconds,
  logger,
  metrics,
})

const onStarted = () => {
  const { host, port, queueUrl, concurrency } = config
  logger.info({ host, port, queueUrl, concurrency }, 'consuming')
}
hostWorker({ at: config, registry: metrics.registry, logger, work: pool, exit, onStarted })
