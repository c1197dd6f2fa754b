import { createPayment } from '@orders/order/payment'
import type { Context, SNSEvent, SNSEventRecord } from 'aws-lambda'
import type { Logger } from 'pino'
import type { Delivery } from '../core/delivery.ts'
import { createIdempotencyRecord, type IdempotencyRecord } from '../core/idempotency.ts'
import { createOrderCore, type OrderCoreDeps } from '../core/order-core.ts'
import type { OrderMetrics } from '../core/order-metrics.ts'

// Lambda puts a thrown error's name in the invocation record as errorType, so whoever reads the
// on-failure destination can tell a record that can never succeed from one that merely failed.
export class PoisonRecordError extends Error {
  override name = 'PoisonRecordError'
}

export type SnsHandler = (event: SNSEvent, context?: Pick<Context, 'awsRequestId'>) => Promise<void>

type SnsHandlerDeps = Omit<OrderCoreDeps, 'record'> & {
  // Orders already paid, for as long as the handler lives: by default a record of its own.
  record?: IdempotencyRecord
  // Runs once each invocation has settled: where the metrics are lines of the log, they must be
  // written before Lambda may freeze the sandbox.
  flush?: () => void
}

// The Lambda function's side of the order core. SNS invokes it asynchronously with one record per
// event, but every record given is handled. Any failure fails the whole invocation: Lambda retries
// it twice, then hands the event to the on-failure destination. Poison fails it too, so it is
// never dropped silently; a retryable failure wins over poison, as a retry may still complete it.
export function createSnsHandler(deps: SnsHandlerDeps): SnsHandler {
  const { record = createIdempotencyRecord(), flush = () => {}, ...rest } = deps
  const handle = createOrderCore({ ...rest, record })
  return async (event, context) => {
    const requestId = context?.awsRequestId
    try {
      const outcomes = await Promise.all(
        event.Records.map((record) => handle(snsDelivery(record, requestId))),
      )
      const poison: string[] = []
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.kind === 'retry') throw outcome.error
        if (outcome.kind === 'poison') {
          poison.push(`poison record ${event.Records[i]?.Sns.MessageId}: ${outcome.reason}`)
        }
      }
      if (poison.length > 0) throw new PoisonRecordError(poison.join('; '))
    } finally {
      flush()
    }
  }
}

function snsDelivery({ Sns }: SNSEventRecord, requestId: string | undefined): Delivery {
  return { source: 'sns', message: Sns.Message, messageId: Sns.MessageId, requestId }
}

type FunctionSettings = {
  processingTimeMs: number
  idempotencyCapacity: number
  logger: Logger
  metrics: OrderMetrics
  flush?: () => void
}

// The function as it runs, built alike by its entry on AWS (lambda/entry.ts, metrics as EMF log
// lines) and by the local delivery emulation (metrics in Prometheus form): only where the numbers
// go differs. The idempotency record lives as long as the sandbox, like the worker's process.
export function createFunctionHandler(settings: FunctionSettings): SnsHandler {
  const { processingTimeMs, idempotencyCapacity, ...rest } = settings
  return createSnsHandler({
    processOrder: createPayment(processingTimeMs),
    record: createIdempotencyRecord(idempotencyCapacity),
    ...rest,
  })
}
