import { pino } from 'pino'
import { createApp } from './app.ts'
import { parseConfig } from './config.ts'
import { createConsumerPool, SLOTS_PER_RECEIVER } from './consumers.ts'
import { isPoison } from './handler.ts'
import { createMetrics } from './metrics.ts'
import { createMetricsApp } from './metrics-server.ts'
import { createOrderHandler, createSqsClient } from './wiring.ts'

const SHUTDOWN_DEADLINE_MS = 25_000

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

let draining = false
const server = createApp({ isDraining: () => draining }).listen(config.port, config.host, (err) => {
  if (err) {
    logger.fatal({ err, port: config.port }, 'cannot listen')
    exit(1)
  }
  pool.start()
  logger.info(
    {
      host: config.host,
      port: config.port,
      queueUrl: config.queueUrl,
      concurrency: config.concurrency,
    },
    'consuming',
  )
})

const metricsServer = createMetricsApp(metrics.registry).listen(
  config.metricsPort,
  config.host,
  (err) => {
    if (err) {
      logger.fatal({ err, port: config.metricsPort }, 'cannot listen for metrics')
      exit(1)
    }
    logger.info({ host: config.host, port: config.metricsPort }, 'serving metrics')
  },
)

// No new receives; orders in flight finish and are deleted; then exit 0, well before the
// SIGKILL that ECS sends 30 s after SIGTERM.
process.once('SIGTERM', () => shutdown('SIGTERM'))
process.once('SIGINT', () => shutdown('SIGINT'))

async function shutdown(signal: string) {
  draining = true
  logger.info({ signal, inFlight: pool.busy }, 'draining')
  setTimeout(() => {
    logger.error({ inFlight: pool.busy }, 'drain deadline passed; exiting')
    exit(1)
  }, SHUTDOWN_DEADLINE_MS).unref()
  await pool.drain()
  server.close()
  // Scrapes keep working through the drain; the metrics port closes last.
  metricsServer.close()
  logger.info('stopped')
  exit(0)
}
