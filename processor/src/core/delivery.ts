import { unwrapEnvelope } from './envelope.ts'
import { type OrderMessage, parseOrderJson } from './order-json.ts'

// A message as a runtime hands it over, before anything has been read from it.
export type Delivery =
  // The ECS worker's: an SQS message whose body is the SNS envelope around the order.
  | { source: 'sqs'; body: string | undefined; messageId: string | undefined; receiveCount: number }
  // The Lambda function's: an SNS record, whose message is the order itself. remainingMs: the
  // time the invocation has left, when the runtime says.
  | {
      source: 'sns'
      message: string
      messageId: string
      requestId: string | undefined
      remainingMs?: number | undefined
    }

// What was read, and the SNS message id the order's record keeps.
export type Read = OrderMessage & { snsMessageId?: string | undefined }

// Each layer is read once, here: the envelope (SQS only), then the order inside it.
export function readDelivery(delivery: Delivery): Read {
  if (delivery.source === 'sns') {
    return { ...parseOrderJson(delivery.message), snsMessageId: delivery.messageId }
  }
  const unwrapped = unwrapEnvelope(delivery.body)
  if (!unwrapped.ok) return unwrapped
  return { ...parseOrderJson(unwrapped.message), snsMessageId: unwrapped.messageId }
}

// The fields every line about one delivery carries, so that its lines can be found together:
// the worker's attempt is the receive count, the function's the invocation's request id.
export function deliveryFields(delivery: Delivery) {
  if (delivery.source === 'sqs') {
    return { messageId: delivery.messageId, receiveCount: delivery.receiveCount }
  }
  return { messageId: delivery.messageId, requestId: delivery.requestId }
}
