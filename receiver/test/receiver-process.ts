import { serviceEntry, startService } from '@orders/stack/service-process'
import { expect } from 'vitest'

export type ReceiverProcess = Awaited<ReturnType<typeof startReceiver>>

// The receiver as ECS runs it: server.ts in a process of its own, configured by its environment,
// returned once /health answers. The caller kills it in a finally.
export async function startReceiver(env: Record<string, string | undefined>) {
  const service = await startService('receiver', serviceEntry('receiver'), env)
  const { child, url: base } = service
  const health = () =>
    fetch(`${base}/health`).then(
      (r) => r.status,
      () => 0,
    )
  try {
    await expect.poll(health, { timeout: 10_000 }).toBe(200)
  } catch (err) {
    child.process.kill('SIGKILL')
    throw err
  }
  return {
    ...child,
    base,
    output: service.output,
    metric: service.metric,
    // The raw answer, so a test can read its headers (Location) as well as its body.
    postOrder: (path: string, orderId: string) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          order_id: orderId,
          customer_id: 1,
          items: [{ product_id: 'A', quantity: 1, price: 1 }],
        }),
      }),
  }
}
