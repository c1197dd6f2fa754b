import { SQSClient } from '@aws-sdk/client-sqs'
import { hostWorker } from '@orders/processor/host'
import { createFunctionHandler } from '@orders/processor/lambda'
import { createMetrics } from '@orders/processor/metrics'
import { processOwner } from '@orders/processor/owner'
import { orExit } from '@orders/service/config'
import { createLogger } from '@orders/service/logger'
import { createDynamoClient } from '@orders/store/client'
import { createLambdaDelivery } from './delivery.ts'
import { type EmulationConfig, parseEmulationConfig } from './emulation-config.ts'

// `make up PROCESSOR=lambda`: the function's handler, built as its entry builds it on AWS, behind
// an EMULATION of SNS -> Lambda async delivery. Not Lambda: no sandboxes, no freezing, one
// process. Its metrics go to a Prometheus registry instead of EMF log lines, served on /metrics
// like the worker's, so the load tool's accounting holds.
const config: EmulationConfig = orExit(() => parseEmulationConfig(process.env))

const { logger, exit } = createLogger('lambda-emulation', config.logLevel, { sync: true })
const metrics = createMetrics()
const handler = createFunctionHandler({
  processingTimeMs: config.processingTimeMs,
  // The same table as the worker's, from the same variables (ORDERS_TABLE_NAME and the SDK's
  // endpoint variables), so the two runtimes deduplicate each other.
  dynamodb: createDynamoClient({
    region: config.region,
    maxSockets: config.reservedConcurrency + 4,
  }),
  tableName: config.store.tableName,
  storeTimeoutMs: config.store.timeoutMs,
  owner: processOwner(),
  leaseMs: config.leaseMs,
  storeHooks: metrics.store,
  // The function's own lines, named as on AWS.
  logger: createLogger('processor', config.logLevel, { sync: true }).logger,
  metrics: metrics.orders,
})
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
  registry: metrics.registry,
  logger,
})

const onStarted = () => {
  const { port, queueUrl, reservedConcurrency, retryDelaySeconds } = config
  logger.info(
    { port, queueUrl, reservedConcurrency, retryDelaySeconds },
    'emulating SNS -> Lambda async delivery (not Lambda)',
  )
}
hostWorker({ at: config, registry: metrics.registry, logger, work: delivery, exit, onStarted })
