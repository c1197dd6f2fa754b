import { performance } from 'node:perf_hooks'
import { round } from './stats.ts'

export const CLIENT_TIMEOUT = 'client timeout'

export type Outcome = {
  ms: number
  status: number | null
  ok: boolean
  failure?: string
  error?: string
}

export function loadOrder(orderId: string) {
  return {
    order_id: orderId,
    customer_id: 1 + Math.floor(Math.random() * 10_000),
    items: [{ product_id: 'SKU-001', quantity: 1 + Math.floor(Math.random() * 3), price: 19.99 }],
  }
}

// Where an accepted order's status can be followed, as the answer gave it.
export type StatusLink = { location?: string; retryAfter?: string | null }

// Time is measured until the whole body has arrived, as Locust does; the timeout covers both.
export async function postOrder(
  url: string,
  orderId: string,
  timeoutMs: number,
  expectStatus: number,
): Promise<Outcome & StatusLink> {
  const started = performance.now()
  const ms = () => round(performance.now() - started)
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(loadOrder(orderId)),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const body = await res.text()
    if (res.status === expectStatus) {
      const location = res.headers.get('location')
      const next = location === null ? {} : { location, retryAfter: res.headers.get('retry-after') }
      return { ms: ms(), status: res.status, ok: true, ...next }
    }
    return { ms: ms(), status: res.status, ok: false, failure: statusFailure(res.status, body) }
  } catch (err) {
    const elapsed = ms()
    // The abort closes the connection, so the receiver sees the client leave, as with Locust's
    // timeout: a sync order still waiting for a payment slot is then never paid.
    if (err instanceof Error && err.name === 'TimeoutError') {
      return { ms: elapsed, status: null, ok: false, failure: CLIENT_TIMEOUT }
    }
    return { ms: elapsed, status: null, ok: false, failure: 'connection error', error: cause(err) }
  }
}

// A 503 is the receiver shedding load ("overloaded") or SNS failing ("publish_failed"): the error
// code in the JSON body tells them apart. Only a short code is kept, so the kinds stay few.
export function statusFailure(status: number, body: string): string {
  let code: unknown
  try {
    code = (JSON.parse(body) as { error?: unknown }).error
  } catch {
    code = undefined
  }
  return typeof code === 'string' && /^[a-z][a-z0-9_.-]{0,39}$/.test(code)
    ? `HTTP ${status} ${code}`
    : `HTTP ${status}`
}

// undici wraps the socket error: "fetch failed" says nothing, its cause says ECONNREFUSED.
function cause(err: unknown): string {
  const inner = err instanceof Error ? err.cause : undefined
  if (inner && typeof inner === 'object') {
    const { code, message } = inner as { code?: string; message?: string }
    if (code || message) return code ?? message ?? ''
  }
  return err instanceof Error ? err.message : String(err)
}

// A stack that is not up would otherwise produce a minute of connection errors.
export async function assertReachable(host: string) {
  try {
    const res = await fetch(`${host}/health`, { signal: AbortSignal.timeout(5000) })
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`answered ${res.status}`)
  } catch (err) {
    const reason = (err as Error).cause ? String((err as Error).cause) : (err as Error).message
    throw new Error(`${host}/health is not answering (${reason}); is the stack up? (make up)`)
  }
}
