import type { Message, SQSClient } from '@aws-sdk/client-sqs'
import type { MessageHandler } from '@orders/processor/wiring'
import type { Logger } from 'pino'
import { Consumer } from 'sqs-consumer'

type PoolOptions = {
  sqs: SQSClient
  queueUrl: string
  concurrency: number
  handleMessage: MessageHandler
  retryDelaySeconds: number
  logger: Logger
}

export type ConsumerPool = {
  start: () => void
  drain: () => Promise<void>
  readonly busy: number
}

// The simplest pool, the benchmark's baseline for the current one in the same run:
// `concurrency` consumers that each receive one message at a time and delete it with its own
// DeleteMessage, so every order costs one receive and one delete. sqs-consumer deletes what the
// handler returns and changes the visibility of what it throws, so the outcome becomes one or the
// other.
export function createBaselinePool(options: PoolOptions): ConsumerPool {
  const { sqs, queueUrl, concurrency, handleMessage, retryDelaySeconds, logger } = options
  let busy = 0
  let draining = false
  const idleWaiters: Array<() => void> = []
  const poison = new WeakSet<Message>()

  async function handle(message: Message): Promise<Message> {
    const outcome = await handleMessage(message)
    if (outcome.kind === 'completed' || outcome.kind === 'duplicate') return message
    if (outcome.kind === 'poison' || outcome.kind === 'failed') {
      poison.add(message)
      throw new Error(`message for the DLQ: ${outcome.kind}`)
    }
    throw new Error(`order ${outcome.orderId}: ${outcome.kind}`)
  }

  const consumers = Array.from({ length: concurrency }, () => {
    const consumer = Consumer.create({
      sqs,
      queueUrl,
      batchSize: 1,
      handleMessage: handle,
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      // A failed order waits retryDelaySeconds before its next attempt; a poison message or an
      // order failed for good is made visible at once, so the redrive policy moves it to the DLQ
      // without burning minutes.
      terminateVisibilityTimeout: (messages) =>
        messages.every((message) => poison.has(message)) ? 0 : retryDelaySeconds,
    })
    consumer.on('message_received', () => {
      busy += 1
    })
    // Emitted after the handler, the delete or the visibility change have all settled.
    consumer.on('response_processed', () => {
      busy -= 1
      if (draining && busy === 0) for (const wake of idleWaiters.splice(0)) wake()
    })
    consumer.on('error', (err, message) => {
      logger.error({ err, messageId: messageIdOf(message) }, 'sqs error')
    })
    // The order core has already logged why; nothing to add here.
    consumer.on('processing_error', () => {})
    return consumer
  })

  return {
    start() {
      for (const consumer of consumers) consumer.start()
    },
    // No new receives; resolves once every message already received is deleted or released.
    // Long polls still open are left to die with the process: they hold no message yet, and a
    // message they might return later stays on the queue and is redelivered after its timeout.
    async drain() {
      draining = true
      for (const consumer of consumers) consumer.stop()
      if (busy === 0) return
      await new Promise<void>((resolve) => idleWaiters.push(resolve))
    },
    get busy() {
      return busy
    },
  }
}

function messageIdOf(message: Message | Message[] | undefined) {
  if (Array.isArray(message)) return message.map((m) => m.MessageId)
  return message?.MessageId
}
