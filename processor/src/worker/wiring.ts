import { type Message, SQSClient } from '@aws-sdk/client-sqs'
import { createDynamoClient } from '@orders/store/client'
import { createOrderStore } from '@orders/store/store'
import type { Logger } from 'pino'
import type { Delivery } from '../core/delivery.ts'
import type { ProcessorMetrics } from '../core/metrics.ts'
import { createOrderCore, type OrderCoreDeps, type Outcome } from '../core/order-core.ts'
import { processOwner } from '../core/owner.ts'
import { createProcessorPayment } from '../core/payment.ts'
import type { Config } from './config.ts'

// What server.ts builds from its configuration besides the pool; the benchmark's baseline builds
// the same, so the two designs it compares differ in their pool alone.
export function createSqsClient(config: Config, maxSockets: number) {
  const sockets = { maxSockets, keepAlive: true }
  return new SQSClient({
    region: config.region,
    endpoint: config.endpoint,
    requestHandler: { httpAgent: sockets, httpsAgent: sockets },
  })
}

export type MessageHandler = (message: Message) => Promise<Outcome>

// No memory of orders in the process: the table answers every delivery, whichever replica or
// runtime receives it. A cache of completed ids would spare one request only when a redelivery
// lands on the process that completed the order, which with several replicas is luck.
export function createOrderHandler(
  config: Config,
  logger: Logger,
  metrics: ProcessorMetrics,
  store: OrderCoreDeps['store'] = tableStore(config, metrics),
) {
  return createMessageHandler({
    processOrder: createProcessorPayment(config.processingTimeMs, config.processingJitterMs),
    store,
    owner: processOwner(),
    leaseMs: config.leaseMs,
    maxAttempts: config.maxReceiveCount,
    logger,
    metrics: metrics.orders,
  })
}

// STORE_MAX_IN_FLIGHT requests at the table, one socket each; the orders past them wait their turn.
function tableStore(config: Config, metrics: ProcessorMetrics) {
  const maxInFlight = config.storeMaxInFlight
  return createOrderStore({
    client: createDynamoClient({ region: config.region, maxSockets: maxInFlight }),
    tableName: config.store.tableName,
    timeoutMs: config.store.timeoutMs,
    maxInFlight,
    hooks: metrics.store,
  })
}

// The worker's side of the order core: an SQS message in, its outcome out. The body is handed
// over unread; the core reads it, once.
export function createMessageHandler(deps: OrderCoreDeps): MessageHandler {
  const core = createOrderCore(deps)
  return (message) => core(sqsDelivery(message))
}

function sqsDelivery(message: Message): Delivery {
  return {
    source: 'sqs',
    body: message.Body,
    messageId: message.MessageId,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
  }
}
