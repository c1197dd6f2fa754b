import type { Message, SQSClient } from '@aws-sdk/client-sqs'
import type { Logger } from 'pino'
import { Consumer } from 'sqs-consumer'
import type { ProcessorMetrics } from '../core/metrics.ts'
import type { Outcome } from '../core/order-core.ts'
import { createBackoff } from './backoff.ts'
import { createDeleteBatcher } from './deletes.ts'
import { createErrorLog } from './error-log.ts'
import { pollersFor } from './pollers.ts'
import { createSettlement } from './settlement.ts'
import { createSlots } from './slots.ts'
import { createStoreHealth } from './store-health.ts'
import { createVisibility } from './visibility.ts'

const BATCH = 10
// A receiver that waits for slots takes the first one free, then waits this long for more, so it
// fetches several messages per call instead of one; a whole batch's worth ends the wait at once.
export const RECEIVE_LINGER_MS = 20

type PoolOptions = {
  sqs: SQSClient
  queueUrl: string
  concurrency: number
  handleMessage: (message: Message) => Promise<Outcome>
  retryDelaySeconds: number
  logger: Logger
  metrics: ProcessorMetrics
}

export type ConsumerPool = {
  start: () => void
  drain: () => Promise<void>
  readonly busy: number
}

// `concurrency` slots shared by a few sqs-consumer pollers. Each receive asks for at most the
// slots its poller holds (and at most 10); every message runs at once in its own slot, and the
// moment it settles the slot is free for the next receive, so N orders stay in flight without
// waiting for a whole batch. What then becomes of the message is its outcome's (settlement.ts).
export function createConsumerPool(options: PoolOptions): ConsumerPool {
  const { sqs, queueUrl, concurrency, handleMessage, retryDelaySeconds } = options
  const { logger, metrics } = options
  const slots = createSlots(concurrency)
  const receiveErrors = createErrorLog(logger, 'sqs receive')
  const visibility = createVisibility(sqs, queueUrl, logger)
  const onAbandoned = () => metrics.deletesAbandoned.inc()
  const deletes = createDeleteBatcher({ sqs, queueUrl, logger, onAbandoned })
  const running = new Set<Promise<void>>()
  let draining = false

  const store = createStoreHealth(logger)
  const settle = createSettlement({
    handleMessage,
    deletes,
    visibility,
    retryDelaySeconds,
    store,
    logger,
  })

  function run(message: Message) {
    const settled = settle(message).finally(() => {
      slots.release()
      running.delete(settled)
    })
    running.add(settled)
  }

  function createReceiver() {
    let held = 0
    const backoff = createBackoff()
    const storeBackoff = createBackoff()
    const consumer = Consumer.create({
      sqs,
      queueUrl,
      batchSize: 1,
      shouldDeleteMessages: false,
      messageSystemAttributeNames: ['ApproximateReceiveCount'],
      preReceiveMessageCallback: async () => {
        await backoff.wait()
        await store.wait(storeBackoff)
        // sqs-consumer sends the receive once this resolves, stopped or not.
        if (draining) throw new Error('draining: receive skipped')
      },
      postReceiveMessageCallback: async () => {
        backoff.succeeded()
        receiveErrors.succeeded()
      },
      handleMessageBatch: async (messages) => {
        // A long poll that was open when the drain began: hand its messages straight back.
        if (draining) {
          const released = visibility.release(messages)
          running.add(released)
          await released.finally(() => running.delete(released))
          return []
        }
        held -= messages.length
        for (const message of messages) run(message)
        if (held <= 0) held = await slots.take(BATCH, RECEIVE_LINGER_MS)
        topUp()
        return []
      },
    })

    function topUp() {
      held += slots.takeFree(BATCH - held)
      if (held > 0) consumer.updateOption('batchSize', held)
    }

    consumer.on('empty', topUp)
    consumer.on('error', (err) => {
      if (draining) return
      backoff.failed()
      metrics.receiveErrors.inc()
      receiveErrors.failed(err)
      topUp()
    })
    return {
      async start() {
        held = await slots.take(BATCH, 0)
        if (held === 0) return
        consumer.updateOption('batchSize', held)
        consumer.start()
      },
      stop() {
        consumer.stop()
        backoff.cancel()
        storeBackoff.cancel()
      },
    }
  }

  const receivers = Array.from({ length: pollersFor(concurrency) }, () => createReceiver())

  return {
    start() {
      for (const receiver of receivers) void receiver.start()
    },
    // No new receives; resolves once every message already received is deleted or released.
    // A long poll still open is not waited for: if it returns messages after this, they are
    // released at once (visibility 0); if the process has exited by then, they come back after
    // the queue's visibility timeout.
    async drain() {
      draining = true
      for (const receiver of receivers) receiver.stop()
      slots.close()
      while (running.size > 0) await Promise.all(running)
      await deletes.flush()
    },
    get busy() {
      return running.size
    },
  }
}
