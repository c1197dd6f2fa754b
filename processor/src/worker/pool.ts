import type { Message, SQSClient } from '@aws-sdk/client-sqs'
import type { Logger } from 'pino'
import { Consumer } from 'sqs-consumer'
import type { ProcessorMetrics } from '../core/metrics.ts'
import type { Outcome } from '../core/order-core.ts'
import { createBackoff } from './backoff.ts'
import { createDeleteBatcher } from './deletes.ts'
import { createErrorLog } from './error-log.ts'
import { aheadFor, BATCH, pollersFor } from './pollers.ts'
import { createReceiveBudget } from './receive-budget.ts'
import { createRunner } from './runner.ts'
import { createSettlement } from './settlement.ts'
import { createStoreHealth } from './store-health.ts'
import { createVisibility } from './visibility.ts'

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

// `concurrency` slots fed by a few sqs-consumer pollers that share one receive budget: the slots
// and aheadFor(concurrency) messages more. A poller receives ten at a time once its budget is
// free, or whatever is free the moment nothing waits ahead (receive-budget.ts); a message runs at
// once if a slot is free and otherwise waits ahead for the next (runner.ts). So N orders stay in
// flight, receives carry full batches, and a freed slot starts its next order without a receive
// in between. What then becomes of each message is its outcome's (settlement.ts).
export function createConsumerPool(options: PoolOptions): ConsumerPool {
  const { sqs, queueUrl, concurrency, handleMessage, retryDelaySeconds } = options
  const { logger, metrics } = options
  const budget = createReceiveBudget(concurrency + aheadFor(concurrency))
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

  function track(work: Promise<void>) {
    running.add(work)
    void work.finally(() => running.delete(work))
  }
  const runner = createRunner({ concurrency, settle, budget, track })

  // Messages that will not run here, visible again at once, ten to a call.
  function handBack(messages: Message[]) {
    for (let i = 0; i < messages.length; i += BATCH) {
      track(visibility.release(messages.slice(i, i + BATCH)))
    }
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
          handBack(messages)
          return []
        }
        held -= messages.length
        for (const message of messages) runner.run(message)
        if (held <= 0) held = await budget.take(BATCH)
        topUp()
        return []
      },
    })

    function topUp() {
      held += budget.takeFree(BATCH - held)
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
        held = await budget.take(BATCH)
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
      budget.close()
      handBack(runner.stop())
      while (running.size > 0) await Promise.all(running)
      await deletes.flush()
    },
    get busy() {
      return runner.active
    },
  }
}
