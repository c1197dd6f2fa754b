import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns'
import type { Order } from '@orders/order/order'

export type PublishOrder = (order: Order) => Promise<{ messageId: string }>

type PublisherOptions = { sns: SNSClient; topicArn: string; timeoutMs: number }

export function createOrderPublisher({ sns, topicArn, timeoutMs }: PublisherOptions): PublishOrder {
  return async (order) => {
    // The timeout bounds the whole call, SDK retries included, so a client never waits on a
    // stalled SNS. A publish that timed out may still have landed: the client retries after
    // our 503 and the processor's idempotency record absorbs the duplicate.
    const output = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify(order),
        MessageAttributes: { order_id: { DataType: 'String', StringValue: order.order_id } },
      }),
      { abortSignal: AbortSignal.timeout(timeoutMs) },
    )
    if (!output.MessageId) throw new Error('SNS acknowledged the publish without a MessageId')
    return { messageId: output.MessageId }
  }
}
