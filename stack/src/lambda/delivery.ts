import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { type Message, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import type { SnsHandler } from '@orders/processor/lambda'
import type { ProcessorMetrics } from '@orders/processor/metrics'
import type { SNSEvent } from 'aws-lambda'
import type { Logger } from 'pino'
import { Consumer } from 'sqs-consumer'
import { type Failure, failureRecord, functionError, snsEventFromBody } from './event.ts'

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
  metrics: ProcessorMetrics
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
  const { sqs, queueUrl, metrics, logger } = options
  const attemptOf = (message: Message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1)
  let busy = 0
  let onIdle: (() => void) | undefined

  // If the send fails, the message stays on the queue and comes back: given up, never lost.
  async function giveUp(event: SNSEvent, failure: Omit<Failure, 'event' | 'functionArn'>) {
    const record = failureRecord({ ...failure, event, functionArn: options.functionArn })
    const MessageBody = JSON.stringify(record)
    await sqs.send(new SendMessageCommand({ QueueUrl: options.onFailureUrl, MessageBody }))
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
    const started = performance.now()
    metrics.inFlight.inc()
    try {
      await runWithTimeout(
        () => options.handler(event, { awsRequestId: requestId }),
        options.timeoutMs,
      )
    } catch (err) {
      const error = functionError(err)
      if (error.errorType === 'PoisonRecordError') metrics.poison.inc()
      else metrics.failed.inc()
      if (attempt > options.maxRetries) {
        await giveUp(event, { condition: 'RetriesExhausted', attempts: attempt, requestId, error })
        return message
      }
      const messageId = event.Records[0]?.Sns.MessageId
      logger.warn({ messageId, requestId, attempt, ...error }, 'invocation failed; will retry')
      throw err
    } finally {
      metrics.inFlight.dec()
    }
    metrics.processed.inc()
    metrics.processingSeconds.observe((performance.now() - started) / 1000)
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
    consumer.on('processing_error', () => {})
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

// Lambda stops a function at its timeout and counts the invocation as failed. In one process the
// handler cannot be stopped, only abandoned; the emulation counts it failed all the same.
async function runWithTimeout(run: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)
      err.name = 'Sandbox.Timedout'
      reject(err)
    }, timeoutMs)
  })
  try {
    await Promise.race([run(), timedOut])
  } finally {
    clearTimeout(timer)
  }
}
