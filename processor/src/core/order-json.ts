import { type Order, parseOrder } from '@orders/order/order'

export type OrderMessage = { ok: true; order: Order } | { ok: false; reason: string }

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
    return { ok: false, reason: `not a valid order (${problems.join('; ')})` }
  }
  return { ok: true, order: parsed.value }
}
