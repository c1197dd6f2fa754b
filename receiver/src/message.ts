import type { MessageAttributeValue } from '@aws-sdk/client-sns'
import type { Order } from '@orders/order/order'

export type OrderMessage = {
  Message: string
  MessageAttributes: Record<string, MessageAttributeValue>
}

// The one shape of an order on the topic, whether it goes out alone or in a batch.
export function orderMessage(order: Order): OrderMessage {
  return {
    Message: JSON.stringify(order),
    MessageAttributes: { order_id: { DataType: 'String', StringValue: order.order_id } },
  }
}

// What SNS counts against its size limits: the body plus every attribute's name, data type and
// value, in UTF-8 bytes.
export function messageBytes({ Message, MessageAttributes }: OrderMessage): number {
  let bytes = Buffer.byteLength(Message)
  for (const [name, value] of Object.entries(MessageAttributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '')
    bytes += value.StringValue === undefined ? 0 : Buffer.byteLength(value.StringValue)
    bytes += value.BinaryValue?.byteLength ?? 0
  }
  return bytes
}

// What the app calls to publish an order, however the publisher sends it (alone or batched).
export type PublishOrder = (
  order: Order,
  options?: PublishOptions,
) => Promise<{ messageId: string }>

// What a batcher needs to decide how long an order waits for company.
export type PublishOptions = {
  // performance.now() when the order's request arrived: time spent recording it counts as linger.
  arrivedAt?: number
  // Other orders are being recorded and will be published soon.
  moreOnTheWay?: boolean
}

export type Publisher = {
  publishOrder: PublishOrder
  // On shutdown: whatever waits for a batch goes out now, not after the linger, and so does every
  // order that still arrives. Resolves when those batches have settled.
  drain: () => Promise<void>
}
