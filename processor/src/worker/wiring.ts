import { SQSClient } from '@aws-sdk/client-sqs'
import type { Logger } from 'pino'
import { createIdempotencyRecord } from '../core/idempotency.ts'
import type { ProcessorMetrics } from '../core/metrics.ts'
import { createMessageHandler } from '../core/order-core.ts'
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

export function createOrderHandler(config: Config, logger: Logger, metrics: ProcessorMetrics) {
  return createMessageHandler({
    processOrder: createProcessorPayment(config.processingTimeMs, config.processingJitterMs),
    record: createIdempotencyRecord(config.idempotencyCapacity),
    logger,
    metrics,
  })
}
