import { afterAll, describe, expect, it } from 'vitest'
import { assertPortsFree } from '../src/ports.ts'
import { embeddedStacks, freePorts } from './embedded-run.ts'

const { startStack, remove } = embeddedStacks()
afterAll(remove)

const order = (id: string) => ({
  order_id: id,
  customer_id: 123,
  items: [{ product_id: 'SKU-001', quantity: 1, price: 19.99 }],
})

describe('make up, stopped with Ctrl-C (embedded stack)', () => {
  it('when SIGINT comes again while the stack drains, then the order in flight still completes and the stack exits 0', async () => {
    const ports = await freePorts()
    const stack = startStack(ports, { PROCESSING_TIME_MS: '2000' })
    const receiver = `http://127.0.0.1:${ports.RECEIVER_PORT}`
    try {
      await expect.poll(() => stack.output(), { timeout: 20_000 }).toContain('Stack is up')
      const answer = fetch(`${receiver}/orders/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(order(`signals-${crypto.randomUUID()}`)),
      })
      const metrics = `http://127.0.0.1:${ports.RECEIVER_METRICS_PORT}/metrics`
      await expect
        .poll(() => fetch(metrics).then((res) => res.text()), { timeout: 5_000 })
        .toMatch(/^sync_orders_in_flight 1$/m)

      // One Ctrl-C reaches the stack twice when a wrapper (npm, timeout) passes it on as well.
      stack.process.kill('SIGINT')
      await expect
        .poll(() => stack.output(), { timeout: 5_000 })
        .toContain('stopping: draining receiver and processor')
      stack.process.kill('SIGINT')

      const res = await answer
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ status: 'completed' })
    } finally {
      stack.process.kill('SIGINT')
    }
    expect(await stack.exited, stack.output()).toBe(0)
    expect(stack.output()).toMatch(/\nstopped$/)
    await expect(assertPortsFree(ports)).resolves.toBeUndefined()
  })
})
