import { SQSClient } from '@aws-sdk/client-sqs'
import { pino } from 'pino'
import { createApp } from './app.ts'
import { handler } from './lambda.ts'
import { createLambdaDelivery } from './lambda-delivery.ts'
import { type EmulationConfig, parseEmulationConfig } from './lambda-emulation-config.ts'
import { createMetrics } from './metrics.ts'
import { createMetricsApp } from './metrics-server.ts'

// `make up PROCESSOR=lambda`: the function's own handler (src/lambda.ts, what the bundle exports)
// behind an EMULATION of SNS -> Lambda async delivery. Not Lambda: no sandboxes, no freezing, one
// process. It serves /health and /metrics like the worker, so the load tool's accounting holds.
let config: EmulationConfig
try {
  config = parseEmulationConfig(process.env)
} catch (err) {
  console.error((err as Error).message)
  process.exit(1)
}

const SHUTDOWN_DEADLINE_MS = 25_000
const logger = pino(
  { name: 'lambda-emulation', level: config.logLevel },
  pino.destination({ sync: true }),
)
const metrics = createMetrics()
const sockets = { maxSockets: config.reservedConcurrency * 2 + 4, keepAlive: true }
const sqs = new SQSClient({
  region: config.region,
  endpoint: config.endpoint,
  requestHandler: { httpAgent: sockets, httpsAgent: sockets },
})
const delivery = createLambdaDelivery({
  sqs,
  queueUrl: config.queueUrl,
  onFailureUrl: config.onFailureUrl,
  handler,
  functionArn: `arn:aws:lambda:${config.region}:000000000000:function:orders-processor`,
  reservedConcurrency: config.reservedConcurrency,
  maxRetries: config.maxRetries,
  retryDelaySeconds: config.retryDelaySeconds,
  timeoutMs: config.timeoutMs,
  maxEventAgeSeconds: config.maxEventAgeSeconds,
  metrics,
  logger,
})

let draining = false
const server = createApp({ isDraining: () => draining }).listen(config.port, config.host, (err) => {
  if (err) {
    logger.fatal({ err, port: config.port }, 'cannot listen')
    process.exit(1)
  }
  delivery.start()
  const { port, queueUrl, reservedConcurrency, retryDelaySeconds } = config
  logger.info(
    { port, queueUrl, reservedConcurrency, retryDelaySeconds },
    'emulating SNS -> Lambda async delivery (not Lambda)',
  )
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

process.once('SIGTERM', () => shutdown('SIGTERM'))
process.once('SIGINT', () => shutdown('SIGINT'))

async function shutdown(signal: string) {
  draining = true
  logger.info({ signal, inFlight: delivery.busy }, 'draining')
  setTimeout(() => {
    logger.error({ inFlight: delivery.busy }, 'drain deadline passed; exiting')
    process.exit(1)
  }, SHUTDOWN_DEADLINE_MS).unref()
  await delivery.drain()
  server.close()
  // Scrapes keep working through the drain; the metrics port closes last.
  metricsServer.close()
  logger.info('stopped')
  process.exit(0)
}
