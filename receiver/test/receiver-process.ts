import { fileURLToPath } from 'node:url'
import { startProcess } from '@orders/stack/children'
import { freePort } from '@orders/stack/ports'
import { expect } from 'vitest'

const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))

export type ReceiverProcess = Awaited<ReturnType<typeof startReceiver>>

// The receiver as ECS runs it: server.ts in a process of its own, configured by its environment,
// returned once /health answers. The caller kills it in a finally.
export async function startReceiver(env: Record<string, string | undefined>) {
  const [port, metricsPort] = [await freePort(), await freePort()]
  const output: string[] = []
  const child = startProcess(
    'receiver',
    server,
    { PATH: process.env.PATH, ...env, PORT: String(port), METRICS_PORT: String(metricsPort) },
    (line) => output.push(line),
  )
  const base = `http://127.0.0.1:${port}`
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
    output,
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
    // The value of an unlabelled gauge on /metrics, as text.
    gauge: (name: string) =>
      fetch(`http://127.0.0.1:${metricsPort}/metrics`)
        .then((r) => r.text())
        .then((text) => new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1]),
  }
}
