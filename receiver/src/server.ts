import { SNSClient } from '@aws-sdk/client-sns'
import { createPayment } from '@orders/order/payment'
import { pino } from 'pino'
import { createApp } from './app.ts'
import { parseConfig } from './config.ts'
import { createMetrics } from './metrics.ts'
import { createMetricsApp } from './metrics-server.ts'
import { createPublisher } from './publisher.ts'

const SHUTDOWN_DEADLINE_MS = 25_000

let config: ReturnType<typeof parseConfig>
try {
  config = parseConfig(process.env)
} catch (err) {
  console.error((err as Error).message)
  process.exit(1)
}

// Synchronous writes: the last lines before process.exit (drain, stop) are never lost.
const logger = pino({ name: 'receiver', level: config.logLevel }, pino.destination({ sync: true }))
const sns = new SNSClient({ region: config.region, endpoint: config.endpoint })
const metrics = createMetrics()
const publisher = createPublisher({
  sns,
  topicArn: config.topicArn,
  timeoutMs: config.publishTimeoutMs,
  lingerMs: config.publishLingerMs,
  metrics,
})
const app = createApp({
  publishOrder: publisher.publishOrder,
  processOrder: createPayment(config.processingTimeMs),
  logger,
  metrics,
  syncConcurrency: config.syncConcurrency,
})

const server = app.listen(config.port, config.host, (err) => {
  if (err) {
    logger.fatal({ err, port: config.port }, 'cannot listen')
    process.exit(1)
  }
  logger.info({ host: config.host, port: config.port, topicArn: config.topicArn }, 'listening')
})

const metricsServer = createMetricsApp(metrics.registry).listen(
  config.metricsPort,
  config.host,
  (err) => {
    if (err) {
      logger.fatal({ err, port: config.metricsPort }, 'cannot listen for metrics')
      process.exit(1)
    }
    logger.info({ host: config.host, port: config.metricsPort }, 'serving metrics')
  },
)

// Stop accepting, let in-flight requests (3 s sync payments too) finish, then exit 0.
// ECS sends SIGKILL 30 s after SIGTERM; the deadline keeps us ahead of it.
process.once('SIGTERM', () => shutdown('SIGTERM'))
process.once('SIGINT', () => shutdown('SIGINT'))

function shutdown(signal: string) {
  logger.info({ signal }, 'draining')
  setTimeout(() => {
    logger.error('drain deadline passed; exiting')
    process.exit(1)
  }, SHUTDOWN_DEADLINE_MS).unref()
  // Sockets freed by a finishing request would otherwise idle for keepAliveTimeout (5 s) and hold
  // the close open; with 1 ms they end as soon as their last response is written.
  server.keepAliveTimeout = 1
  // Orders waiting out the linger go to SNS now; their requests then answer and let close finish.
  const flushed = publisher.drain()
  server.close(async () => {
    await flushed
    // Scrapes keep working through the drain; the metrics port closes last.
    metricsServer.close()
    sns.destroy()
    logger.info('stopped')
    process.exit(0)
  })
  server.closeIdleConnections()
}
