import { createLogger } from '@orders/service/logger'
import { createMetrics } from '../core/metrics.ts'
import type { OrderCoreDeps } from '../core/order-core.ts'
import type { Config } from './config.ts'
import { hostWorker } from './host.ts'
import { pollersFor } from './pollers.ts'
import { createConsumerPool } from './pool.ts'
import { createOrderHandler, createSqsClient } from './wiring.ts'

// The worker as its task runs it (server.ts). A store may stand in for the orders table: the
// benchmark's row that measures the pool alone.
export function runWorker(config: Config, store?: OrderCoreDeps['store']): void {
  // Asynchronous writes: at a thousand orders a second, a blocking write per order line stalls
  // the event loop whenever the reader is slow. exit() flushes what is buffered: no line is lost.
  const { logger, exit } = createLogger('processor', config.logLevel, { sync: false })
  const metrics = createMetrics()
  // Each receiver keeps one 20 s long poll open; deletes and visibility changes go in batches
  // and return in milliseconds, so a few dozen sockets beside the polls keep them from queueing.
  const receivers = pollersFor(config.concurrency)
  const pool = createConsumerPool({
    sqs: createSqsClient(config, receivers + 32),
    queueUrl: config.queueUrl,
    concurrency: config.concurrency,
    handleMessage: createOrderHandler(config, logger, metrics, store),
    retryDelaySeconds: config.retryDelaySeconds,
    logger,
    metrics,
  })

  const onStarted = () => {
    const { host, port, queueUrl, concurrency } = config
    logger.info({ host, port, queueUrl, concurrency }, 'consuming')
  }
  hostWorker({ at: config, registry: metrics.registry, logger, work: pool, exit, onStarted })
}
