import { randomUUID } from 'node:crypto'
import { type Message, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { createErrorLog } from '@orders/processor/error-log'
import type { SnsHandler } from '@orders/processor/lambda'
import type { SNSEvent } from 'aws-lambda'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { Consumer } from 'sqs-consumer'
import { type Failure, failureRecord, functionError, snsEventFromBody } from './event.ts'
import { createInvocationMetrics } from './invocation-metrics.ts'
import { runWithTimeout } from './timeout.ts'

const SUBSCRIPTION_ID = 'emulated-lambda-subscription'

export type DeliveryOptions = {
  sqs: SQSClient
  // Stands in for Lambda's internal async event queue; subscribed to the topic like SNS -> Lambda.
  queueUrl: string
  onFailureUrl: string
  handler: SnsHandler
  functionArn: string
  reservedConcurrency: number
  maxRetries: number
  retryDelaySeconds: number
  timeoutMs: number
  maxEventAgeSeconds: number
  // Where the invocation counts go; the function counts its orders itself.
  registry: Registry
  logger: Logger
}

export type LambdaDelivery = {
  start: () => void
  drain: () => Promise<void>
  readonly busy: number
}

// An EMULATION of how Lambda delivers SNS events asynchronously, for running the function locally;
// it is not Lambda. One event per invocation; at most `reservedConcurrency` invocations at once; a
// failed invocation is retried `maxRetries` times, waiting retryDelaySeconds, then twice that (AWS
// waits 1 and 2 minutes); then an invocation record goes to the on-failure destination. An event
// older than maxEventAgeSeconds is sent there without being invoked.
export function createLambdaDelivery(options: DeliveryOptions): LambdaDelivery {
  const { sqs, queueUrl, logger } = options
  const metrics = createInvocationMetrics(options.registry)
  const attemptOf = (message: Message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1)
  // A failed invocation to be retried is logged where it fails, with its attempt; what else fails
  // while a message is handled (the send to the on-failure destination) is logged here, bounded.
  const processingErrors = createErrorLog(logger, 'lambda delivery')
  const retrying = new Set<string | undefined>()
  let busy = 0
  let onIdle: (() => void) | undefined

  // If the send fails, the message stays on the queue and comes back: given up, never lost.
  async function giveUp(event: SNSEvent, failure: Omit<Failure, 'event' | 'functionArn'>) {
    const record = failureRecord({ ...failure, event, functionArn: options.functionArn })
    const MessageBody = JSON.stringify(record)
    await sqs.send(new SendMessageCommand({ QueueUrl: options.onFailureUrl, MessageBody }))
    processingErrors.succeeded()
    const messageId = event.Records[0]?.Sns.MessageId
    const { condition, approximateInvokeCount } = record.requestContext
    logger.error(
      { messageId, condition, approximateInvokeCount, ...record.responsePayload },
      'event sent to the on-failure destination',
    )
  }

  async function invoke(message: Message): Promise<Message> {
    const attempt = attemptOf(message)
    const requestId = randomUUID()
    const event = snsEventFromBody(message.Body, SUBSCRIPTION_ID)
    const ageMs = Date.now() - Number(message.Attributes?.SentTimestamp ?? Date.now())
    if (ageMs >= options.maxEventAgeSeconds * 1000) {
      const attempts = attempt - 1
      await giveUp(event, { condition: 'EventAgeExceeded', attempts, requestId, error: undefined })
      return message
    }
    metrics.invocations.inc()
    // As Lambda's context does: the handler may size its order's lease by the time it has left.
    const deadline = Date.now() + options.timeoutMs
    const context = {
      awsRequestId: requestId,
      getRemainingTimeInMillis: () => deadline - Date.now(),
    }
    try {
      await runWithTimeout(() => options.handler(event, context), options.timeoutMs)
    } catch (err) {
      const error = functionError(err)
      metrics.errors.inc({ error_type: error.errorType })
      if (attempt > options.maxRetries) {
        await giveUp(event, { condition: 'RetriesExhausted', attempts: attempt, requestId, error })
        return message
      }
      const messageId = event.Records[0]?.Sns.MessageId
      logger.warn({ messageId, requestId, attempt, ...error }, 'invocation failed; will retry')
      retrying.add(message.MessageId)
      throw err
    }
    return message
  }

  const slots = Array.from({ length: options.reservedConcurrency }, () => {
    const consumer = Consumer.create({
      sqs,
      queueUrl,
      batchSize: 1,
      handleMessage: invoke,
      messageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      // The retry waits grow with the attempt, as Lambda's do.
      terminateVisibilityTimeout: ([message]) =>
        options.retryDelaySeconds * (message ? attemptOf(message) : 1),
    })
    consumer.on('message_received', () => {
      busy += 1
    })
    consumer.on('response_processed', () => {
      busy -= 1
      if (busy === 0) onIdle?.()
    })
    consumer.on('error', (err) => logger.error({ err }, 'sqs error'))
    consumer.on('processing_error', (err, message) => {
      if (!retrying.delete(message.MessageId)) processingErrors.failed(err)
    })
    return consumer
  })

  return {
    start: () => {
      for (const slot of slots) slot.start()
    },
    async drain() {
      for (const slot of slots) slot.stop()
      if (busy > 0) await new Promise<void>((resolve) => (onIdle = resolve))
    },
    get busy() {
      return busy
    },
  }
}
