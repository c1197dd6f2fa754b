import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns'
import { createPublishBatcher } from './batcher.ts'
import { orderMessage, type Publisher, type PublishOrder } from './message.ts'
import type { ReceiverMetrics } from './metrics.ts'

type PublisherOptions = { sns: SNSClient; topicArn: string; timeoutMs: number }

export function createOrderPublisher({ sns, topicArn, timeoutMs }: PublisherOptions): PublishOrder {
  return async (order) => {
    // The timeout bounds the whole call, SDK retries included, so a client never waits on a
    // stalled SNS. A publish that timed out may still have landed: the client retries after
    // our 503 and the processor's idempotency record absorbs the duplicate.
    const output = await sns.send(
      new PublishCommand({ TopicArn: topicArn, ...orderMessage(order) }),
      {
        abortSignal: AbortSignal.timeout(timeoutMs),
      },
    )
    if (!output.MessageId) throw new Error('SNS acknowledged the publish without a MessageId')
    return { messageId: output.MessageId }
  }
}

// PUBLISH_LINGER_MS = 0 publishes each order alone; above it, concurrent orders share batches.
export function createPublisher(
  options: PublisherOptions & { lingerMs: number; metrics: ReceiverMetrics },
): Publisher {
  const publishAlone = createOrderPublisher(options)
  if (options.lingerMs > 0) return createPublishBatcher({ ...options, publishAlone })
  // Nothing waits here: each publish belongs to a request, and the server's close waits for those.
  return { publishOrder: publishAlone, drain: async () => {} }
}
