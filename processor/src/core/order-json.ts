import { type Order, orderRequestSchema, parseOrder } from '@orders/order/order'

export type OrderMessage =
  | { ok: true; order: Order }
  // orderId: the id a message names though it is no order, so that its record can end failed.
  | { ok: false; reason: string; orderId?: string }

// The order as the receiver published it: the SNS message text. The ECS worker finds it inside the
// SQS body's SNS envelope, the Lambda function in its SNS record; both read it here.
export function parseOrderJson(text: string): OrderMessage {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'SNS message is not JSON' }
  }
  const parsed = parseOrder(json)
  if (!parsed.ok) {
    const problems = parsed.issues.map((issue) => `${issue.path}: ${issue.message}`)
    const reason = `not a valid order (${problems.join('; ')})`
    const orderId = readableOrderId(json)
    return orderId === undefined ? { ok: false, reason } : { ok: false, reason, orderId }
  }
  return { ok: true, order: parsed.value }
}

function readableOrderId(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('order_id' in json)) return undefined
  const id = orderRequestSchema.shape.order_id.safeParse(json.order_id)
  return id.success ? id.data : undefined
}
