import type { SQSClient } from '@aws-sdk/client-sqs'
import type { ProcessOrder } from '@orders/order/payment'
import type { LocalAws } from '@orders/stack/emulator'
import { createIdempotencyRecord } from '../../src/core/idempotency.ts'
import { createMetrics } from '../../src/core/metrics.ts'
import { createConsumerPool } from '../../src/worker/pool.ts'
import { createMessageHandler } from '../../src/worker/wiring.ts'
import { capturingLogger } from '../log-lines.ts'

type PoolSetup = {
  aws: LocalAws
  queueUrl: string
  concurrency?: number
  processOrder: ProcessOrder
  // Another client than the emulator's own: one that spies, or one behind a proxy.
  sqs?: SQSClient
}

// The processor exactly as server.ts wires it, in process, with logs captured as objects.
export function startPool({ aws, queueUrl, concurrency = 2, processOrder, sqs }: PoolSetup) {
  const { logger, logs } = capturingLogger()
  const metrics = createMetrics()
  const pool = createConsumerPool({
    sqs: sqs ?? aws.clients.sqs,
    queueUrl,
    concurrency,
    handleMessage: createMessageHandler({
      processOrder,
      record: createIdempotencyRecord(),
      logger,
      metrics: metrics.orders,
    }),
    retryDelaySeconds: 0,
    logger,
    metrics,
  })
  pool.start()
  return { pool, logs, metrics }
}
