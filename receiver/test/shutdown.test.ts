import { fileURLToPath } from 'node:url'
import { startProcess } from '@orders/stack/children'
import { freePort } from '@orders/stack/ports'
import { describe, expect, it } from 'vitest'

const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))

describe('receiver SIGTERM', () => {
  it('when SIGTERM arrives during a sync payment, then it completes, new connections are refused, exit 0', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()]
    const output: string[] = []
    const receiver = startProcess(
      'receiver',
      server,
      {
        PATH: process.env.PATH,
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        // Never contacted: this test only pays synchronously.
        ORDERS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:orders',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        PROCESSING_TIME_MS: '1500',
      },
      (line) => output.push(line),
    )
    try {
      const base = `http://127.0.0.1:${port}`
      await expect
        .poll(
          () =>
            fetch(`${base}/health`).then(
              (r) => r.status,
              () => 0,
            ),
          { timeout: 10_000 },
        )
        .toBe(200)

      const syncOrder = fetch(`${base}/orders/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          order_id: 'drain-1',
          customer_id: 1,
          items: [{ product_id: 'A', quantity: 1, price: 1 }],
        }),
      })
      const syncInFlight = () =>
        fetch(`http://127.0.0.1:${metricsPort}/metrics`)
          .then((r) => r.text())
          .then((text) => /^sync_orders_in_flight (\d+)/m.exec(text)?.[1])
      await expect.poll(syncInFlight, { timeout: 5000 }).toBe('1')

      receiver.process.kill('SIGTERM')
      await expect
        .poll(() => output.some((line) => line.includes('"draining"')), { timeout: 5000 })
        .toBe(true)
      await expect(fetch(`${base}/health`)).rejects.toThrow()

      const res = await syncOrder
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ order_id: 'drain-1', status: 'completed' })
      expect(await receiver.exited, output.join('\n')).toBe(0)
    } finally {
      receiver.process.kill('SIGKILL')
    }
  })
})
