import { type Message, SQSClient } from '@aws-sdk/client-sqs'
import type { Logger } from 'pino'
import type { Delivery } from '../core/delivery.ts'
import { createIdempotencyRecord } from '../core/idempotency.ts'
import type { ProcessorMetrics } from '../core/metrics.ts'
import { createOrderCore, type OrderCoreDeps, type Outcome } from '../core/order-core.ts'
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

export function createOrderHandler(config: Config, logger: Logger, metrics: ProcessorMetrics) {
  return createMessageHandler({
    processOrder: createProcessorPayment(config.processingTimeMs, config.processingJitterMs),
    record: createIdempotencyRecord(config.idempotencyCapacity),
    logger,
    metrics: metrics.orders,
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
