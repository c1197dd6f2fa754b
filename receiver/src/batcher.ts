import {
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  type SNSClient,
} from '@aws-sdk/client-sns'
import type { Order } from '@orders/order/order'
import type { Publisher, PublishOptions, PublishOrder } from './message.ts'
import { messageBytes, orderMessage } from './message.ts'
import type { ReceiverMetrics } from './metrics.ts'

// One PublishBatch call takes at most 10 entries whose bodies and attributes add up to at most
// 262,144 bytes (SNS developer guide, "Amazon SNS message batching", looked up 2026-11-24).
export const MAX_BATCH_ENTRIES = 10
export const MAX_BATCH_BYTES = 262_144

type Waiting = {
  order: Order
  entry: PublishBatchRequestEntry
  resolve: (published: { messageId: string }) => void
  reject: (err: Error) => void
}

export type BatcherOptions = {
  sns: SNSClient
  topicArn: string
  timeoutMs: number
  lingerMs: number
  metrics: Pick<ReceiverMetrics, 'publishWaiting' | 'publishBatchEntries'>
  // Sends one order with Publish, for a batch that holds only one when it goes out.
  publishAlone: PublishOrder
  maxBatchBytes?: number
}

// Concurrent orders share one PublishBatch: it goes out when 10 wait, when the next order would
// push it past the size limit, or when its linger ends. The linger starts with the batch's first
// order: lingerMs when more orders are on their way, otherwise lingerMs less the time since that
// order's request arrived, so that recording the order counts as lingering and an order whose
// recording took longer goes out at once. Every caller still learns the fate of its own entry:
// its MessageId, or the error of its entry or of the call.
export function createPublishBatcher({
  sns,
  topicArn,
  timeoutMs,
  lingerMs,
  metrics,
  publishAlone,
  maxBatchBytes = MAX_BATCH_BYTES,
}: BatcherOptions): Publisher {
  let batch: Waiting[] = []
  let batchBytes = 0
  let timer: NodeJS.Timeout | undefined
  let draining = false
  const sending = new Set<Promise<void>>()

  function flush() {
    clearTimeout(timer)
    timer = undefined
    if (batch.length === 0) return
    const carried = batch
    batch = []
    batchBytes = 0
    metrics.publishWaiting.dec(carried.length)
    const sent = send(carried).finally(() => sending.delete(sent))
    sending.add(sent)
  }

  function linger({ arrivedAt = performance.now(), moreOnTheWay = false }: PublishOptions) {
    const left = moreOnTheWay ? lingerMs : lingerMs - (performance.now() - arrivedAt)
    if (left > 0) timer = setTimeout(flush, left)
    else flush()
  }

  async function send(carried: Waiting[]) {
    metrics.publishBatchEntries.observe(carried.length)
    try {
      const [only] = carried
      if (only && carried.length === 1) {
        // A batch of one goes out as a plain Publish: the same permission and answer, a lighter call.
        only.resolve(await publishAlone(only.order))
        return
      }
      const output = await sns.send(
        new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: carried.map((waiting) => waiting.entry),
        }),
        // As for a single Publish, the timeout bounds the call with its SDK retries; every order
        // it carried answers 503 and is retried by its client.
        { abortSignal: AbortSignal.timeout(timeoutMs) },
      )
      const published = new Map(output.Successful?.map((entry) => [entry.Id, entry.MessageId]))
      const failed = new Map(output.Failed?.map((entry) => [entry.Id, entry]))
      for (const { entry, resolve, reject } of carried) {
        const messageId = published.get(entry.Id)
        const failure = failed.get(entry.Id)
        if (messageId && !failure) resolve({ messageId })
        else reject(entryError(failure))
      }
    } catch (err) {
      for (const { reject } of carried) reject(err as Error)
    }
  }

  return {
    publishOrder(order, options = {}) {
      const message = orderMessage(order)
      const bytes = messageBytes(message)
      if (batch.length > 0 && batchBytes + bytes > maxBatchBytes) flush()
      return new Promise((resolve, reject) => {
        // Ids only need to be unique within one call; the position maps the answer back.
        batch.push({ order, entry: { Id: String(batch.length), ...message }, resolve, reject })
        batchBytes += bytes
        metrics.publishWaiting.inc()
        if (draining || batch.length === MAX_BATCH_ENTRIES) flush()
        else if (timer === undefined) linger(options)
      })
    },
    async drain() {
      draining = true
      flush()
      await Promise.all(sending)
    },
  }
}

function entryError(failure: { Code?: string; Message?: string } | undefined): Error {
  if (!failure) return new Error('SNS answered the batch without a result for this entry')
  return new Error(`SNS refused the entry: ${failure.Code ?? 'unknown'} ${failure.Message ?? ''}`)
}
