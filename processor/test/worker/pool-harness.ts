import type { SQSClient } from '@aws-sdk/client-sqs'
import type { ProcessOrder } from '@orders/order/payment'
import type { LocalAws } from '@orders/stack/emulator'
import { createOrderStore, type OrderStore } from '@orders/store/store'
import { createMetrics } from '../../src/core/metrics.ts'
import { createConsumerPool } from '../../src/worker/pool.ts'
import { createMessageHandler } from '../../src/worker/wiring.ts'
import { coreDeps } from '../core/core-deps.ts'
import { capturingLogger } from '../log-lines.ts'

type PoolSetup = {
  aws: LocalAws
  queueUrl: string
  tableName: string
  concurrency?: number
  processOrder: ProcessOrder
  // Another client than the emulator's own: one that spies, or one behind a proxy.
  sqs?: SQSClient
  // Another store than the emulator's table: one behind a proxy.
  store?: OrderStore
}

// The processor exactly as server.ts wires it, in process, with logs captured as objects.
export function startPool(setup: PoolSetup) {
  const { aws, queueUrl, tableName, concurrency = 2, processOrder, sqs } = setup
  const { logger, logs } = capturingLogger()
  const metrics = createMetrics()
  const store =
    setup.store ??
    createOrderStore({ client: aws.clients.dynamodb, tableName, hooks: metrics.store })
  const pool = createConsumerPool({
    sqs: sqs ?? aws.clients.sqs,
    queueUrl,
    concurrency,
    handleMessage: createMessageHandler(
      coreDeps({ processOrder, store, logger, metrics: metrics.orders }),
    ),
    retryDelaySeconds: 0,
    logger,
    metrics,
  })
  pool.start()
  return { pool, logs, metrics, store }
}
