import type { SQSClient } from '@aws-sdk/client-sqs'
import type { ProcessOrder } from '@orders/order/payment'
import type { LocalAws } from '@orders/stack/emulator'
import { pino } from 'pino'
import { createConsumerPool } from '../src/consumers.ts'
import { createMessageHandler, isPoison } from '../src/handler.ts'
import { createIdempotencyRecord } from '../src/idempotency.ts'
import { createMetrics } from '../src/metrics.ts'

export type LogLine = { msg: string; level: number } & Record<string, unknown>

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
  const logs: LogLine[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) })
  const metrics = createMetrics()
  const pool = createConsumerPool({
    sqs: sqs ?? aws.clients.sqs,
    queueUrl,
    concurrency,
    handleMessage: createMessageHandler({
      processOrder,
      record: createIdempotencyRecord(),
      logger,
      metrics,
    }),
    isPoison,
    retryDelaySeconds: 0,
    logger,
    metrics,
  })
  pool.start()
  return { pool, logs, metrics }
}
