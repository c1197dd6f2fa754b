import { SNSClient } from '@aws-sdk/client-sns'
import { createPayment } from '@orders/order/payment'
import { orExit } from '@orders/service/config'
import { drainOnSignals } from '@orders/service/drain'
import { listenOrExit, serveMetrics } from '@orders/service/http'
import { createLogger } from '@orders/service/logger'
import { createDynamoClient } from '@orders/store/client'
import { createApp } from './app.ts'
import { parseConfig } from './config.ts'
import { createMetrics } from './metrics.ts'
import { createPublisher } from './publisher.ts'
import { createRecords } from './records.ts'

const config = orExit(() => parseConfig(process.env))

// Synchronous writes: a request's lines are few, and none is ever left in a buffer.
const { logger, exit } = createLogger('receiver', config.logLevel, { sync: true })
const sns = new SNSClient({ region: config.region, endpoint: config.endpoint })
// No endpoint here: the SDK reads AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL, by itself.
const dynamodb = createDynamoClient({ region: config.region })
const metrics = createMetrics()
const records = createRecords({
  client: dynamodb,
  tableName: config.tableName,
  timeoutMs: config.storeTimeoutMs,
  hooks: metrics.store,
})
const publisher = createPublisher({
  sns,
  topicArn: config.topicArn,
  timeoutMs: config.publishTimeoutMs,
  lingerMs: config.publishLingerMs,
  metrics,
})
const app = createApp({
  records,
  publishOrder: publisher.publishOrder,
  processOrder: createPayment(config.processingTimeMs),
  logger,
  metrics,
  syncConcurrency: config.syncConcurrency,
  syncQueueLimit: config.syncQueueLimit,
  publishWaitingLimit: config.publishWaitingLimit,
  publishWindowMs: config.publishWindowMs,
  syncLeaseMs: config.syncLeaseMs,
})

const { host, port, metricsPort } = config
const server = listenOrExit({
  app,
  port,
  host,
  logger,
  exit,
  onListening: () => {
    logger.info({ host, port, topicArn: config.topicArn, table: config.tableName }, 'listening')
  },
})
// Above the load balancer's idle timeout, so the load balancer is the one to close an idle
// connection and never sends a request into a socket the receiver is closing (a 502): config.ts.
server.keepAliveTimeout = config.keepAliveTimeoutMs
server.headersTimeout = config.headersTimeoutMs
const metricsServer = serveMetrics({
  registry: metrics.registry,
  port: metricsPort,
  host,
  logger,
  exit,
})

// Stop accepting, let in-flight requests (3 s sync payments too) finish, then exit 0.
drainOnSignals({
  logger,
  exit,
  drain: async () => {
    // Sockets freed by a finishing request would otherwise idle for keepAliveTimeout and hold the
    // close open; with 1 ms they end as soon as their last response is written.
    server.keepAliveTimeout = 1
    // Orders waiting out the linger go to SNS now; their requests then answer and let close finish.
    const flushed = publisher.drain()
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    await closed
    await flushed
    // Scrapes keep working through the drain; the metrics port closes last.
    metricsServer.close()
    sns.destroy()
    dynamodb.destroy()
  },
})
