import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createPayment } from '@orders/order/payment'
import { createOrderStore, type StoreHooks } from '@orders/store/store'
import type { Context, SNSEvent, SNSEventRecord } from 'aws-lambda'
import type { Logger } from 'pino'
import type { Delivery } from '../core/delivery.ts'
import { createOrderCore, type OrderCoreDeps } from '../core/order-core.ts'
import type { OrderMetrics } from '../core/order-metrics.ts'

// Lambda puts a thrown error's name in the invocation record as errorType, so whoever reads the
// on-failure destination can tell a record that can never succeed from one that merely failed.
export class PoisonRecordError extends Error {
  override name = 'PoisonRecordError'
}

// Another processor holds the order: this invocation fails so that Lambda delivers it again.
export class OrderHeldError extends Error {
  override name = 'OrderHeldError'
}

type InvocationContext = Pick<Context, 'awsRequestId'> &
  Partial<Pick<Context, 'getRemainingTimeInMillis'>>

export type SnsHandler = (event: SNSEvent, context?: InvocationContext) => Promise<void>

// Lambda retries a failed asynchronous invocation twice (the addon's MaximumRetryAttempts), so
// the third attempt is the last. The handler cannot see which retry it runs: the order's record
// counts its attempts instead.
export const LAMBDA_MAX_ATTEMPTS = 3

type SnsHandlerDeps = Omit<OrderCoreDeps, 'maxAttempts'> & {
  maxAttempts?: number
  // Runs once each invocation has settled: where the metrics are lines of the log, they must be
  // written before Lambda may freeze the sandbox.
  flush?: () => void
}

// The Lambda function's side of the order core. SNS invokes it asynchronously with one record per
// event, but every record given is handled. A failure fails the whole invocation: Lambda retries
// it twice, then hands the event to the on-failure destination. Poison fails it too, so it is
// never dropped silently; a retryable failure wins over poison, as a retry may still complete it.
export function createSnsHandler(deps: SnsHandlerDeps): SnsHandler {
  const { flush = () => {}, maxAttempts = LAMBDA_MAX_ATTEMPTS, ...rest } = deps
  const handle = createOrderCore({ ...rest, maxAttempts })
  return async (event, context) => {
    const requestId = context?.awsRequestId
    const remainingMs = context?.getRemainingTimeInMillis?.()
    try {
      const outcomes = await Promise.all(
        event.Records.map((record) => handle(snsDelivery(record, requestId, remainingMs))),
      )
      const poison: string[] = []
      for (const [i, outcome] of outcomes.entries()) {
        const kind = outcome.kind
        if (kind === 'retry' || kind === 'failed' || kind === 'unavailable') throw outcome.error
        if (kind === 'held') throw new OrderHeldError(`order ${outcome.orderId} is held elsewhere`)
        if (kind === 'poison') {
          poison.push(`poison record ${event.Records[i]?.Sns.MessageId}: ${outcome.reason}`)
        }
      }
      if (poison.length > 0) throw new PoisonRecordError(poison.join('; '))
    } finally {
      flush()
    }
  }
}

function snsDelivery(
  { Sns }: SNSEventRecord,
  requestId: string | undefined,
  remainingMs: number | undefined,
): Delivery {
  return { source: 'sns', message: Sns.Message, messageId: Sns.MessageId, requestId, remainingMs }
}

type FunctionSettings = {
  processingTimeMs: number
  dynamodb: DynamoDBClient
  tableName: string
  storeTimeoutMs: number
  owner: string
  // The lease when the runtime does not say how long the invocation has left.
  leaseMs: number
  logger: Logger
  metrics: OrderMetrics
  storeHooks?: StoreHooks
  flush?: () => void
}

// The function as it runs, built alike by its entry on AWS (lambda/entry.ts, metrics as EMF log
// lines) and by the local delivery emulation (metrics in Prometheus form): only where the numbers
// go differs. Orders are claimed in the same table the worker uses, so the two deduplicate each
// other.
export function createFunctionHandler(settings: FunctionSettings): SnsHandler {
  const { processingTimeMs, dynamodb, tableName, storeTimeoutMs, storeHooks, ...rest } = settings
  return createSnsHandler({
    processOrder: createPayment(processingTimeMs),
    store: createOrderStore({
      client: dynamodb,
      tableName,
      timeoutMs: storeTimeoutMs,
      ...(storeHooks === undefined ? {} : { hooks: storeHooks }),
    }),
    ...rest,
  })
}
