import { z } from 'zod'

const MAX_PRICE = 1_000_000

const item = z.object({
  product_id: z.string().min(1).max(64),
  quantity: z.int().min(1).max(10_000),
  price: z.number().positive().max(MAX_PRICE),
})

// z.object strips unknown keys: whatever else a client sends is dropped, never forwarded.
export const orderRequestSchema = z.object({
  order_id: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9._:-]+$/, 'must be 1 to 64 letters, digits or . _ : -'),
  // z.int() already refuses numbers beyond Number.MAX_SAFE_INTEGER.
  customer_id: z.int().positive(),
  items: z.array(item).min(1).max(100),
})

// An order's states, in the order it passes them: accepted and queued ('pending'), its payment
// running ('processing'), paid ('completed'). A later state is one more entry here and, where an
// order enters it, one more function beside startPayment.
export const orderStatuses = ['pending', 'processing', 'completed'] as const

export const orderSchema = orderRequestSchema.extend({
  status: z.enum(orderStatuses),
  created_at: z.iso.datetime({ offset: true }),
})

export type OrderRequest = z.infer<typeof orderRequestSchema>
export type Order = z.infer<typeof orderSchema>
export type OrderStatus = Order['status']

export type Issue = { path: string; message: string }

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: Issue[] }

export function parseOrderRequest(input: unknown): Parsed<OrderRequest> {
  return toParsed(orderRequestSchema.safeParse(input))
}

export function parseOrder(input: unknown): Parsed<Order> {
  return toParsed(orderSchema.safeParse(input))
}

export function newOrder(request: OrderRequest, now = new Date()): Order {
  return { ...request, status: 'pending', created_at: now.toISOString() }
}

// The order as its payment starts: 'processing' until the payment step returns it 'completed'.
export function startPayment(order: Order): Order {
  return { ...order, status: 'processing' }
}

function toParsed<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  if (result.success) return { ok: true, value: result.data }
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      path: issue.path.length > 0 ? issue.path.join('.') : '(body)',
      message: issue.message,
    })),
  }
}
