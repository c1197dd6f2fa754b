import { performance } from 'node:perf_hooks'
import type { ProcessOrder } from '@orders/order/payment'
import type { Context, SNSEvent, SNSEventRecord } from 'aws-lambda'
import type { Logger } from 'pino'
import { parseOrderJson } from '../core/order-json.ts'

// Lambda puts a thrown error's name in the invocation record as errorType, so whoever reads the
// on-failure destination can tell a record that can never succeed from one that merely failed.
export class PoisonRecordError extends Error {
  override name = 'PoisonRecordError'
}

type SnsHandlerDeps = { processOrder: ProcessOrder; logger: Logger }

export type SnsHandler = (event: SNSEvent, context?: Pick<Context, 'awsRequestId'>) => Promise<void>

// SNS invokes the function asynchronously with one record per event, but every record given is
// handled. Any failure fails the whole invocation: Lambda retries it twice, then hands the event to
// the on-failure destination. Poison fails too, after being logged, so it is never dropped silently.
export function createSnsHandler({ processOrder, logger }: SnsHandlerDeps): SnsHandler {
  async function handleRecord(record: SNSEventRecord, requestId: string | undefined) {
    const messageId = record.Sns.MessageId
    const read = parseOrderJson(record.Sns.Message)
    if (!read.ok) {
      logger.error({ messageId, requestId, reason: read.reason }, 'poison record')
      throw new PoisonRecordError(`poison record ${messageId}: ${read.reason}`)
    }
    const orderId = read.order.order_id
    const started = performance.now()
    try {
      await processOrder(read.order)
    } catch (err) {
      logger.warn({ err, orderId, messageId, requestId }, 'order failed; the invocation fails')
      throw err
    }
    const durationMs = Math.round(performance.now() - started)
    logger.info(
      { orderId, messageId, requestId, durationMs, status: 'completed' },
      'order completed',
    )
  }

  return async (event, context) => {
    const requestId = context?.awsRequestId
    const results = await Promise.allSettled(
      event.Records.map((record) => handleRecord(record, requestId)),
    )
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []))
    // A retryable failure wins over poison: retrying may still complete that order.
    const retryable = errors.find((err) => !(err instanceof PoisonRecordError))
    if (retryable) throw retryable
    if (errors.length > 0) throw new PoisonRecordError(errors.map((err) => err.message).join('; '))
  }
}
