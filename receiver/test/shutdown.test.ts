import { describe, expect, it } from 'vitest'
import { startReceiver } from './receiver-process.ts'

describe('receiver SIGTERM', () => {
  it('when SIGTERM arrives during a sync payment, then it completes, new connections are refused, exit 0', async () => {
    const receiver = await startReceiver({
      // Never contacted: this test only pays synchronously.
      ORDERS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:orders',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      PROCESSING_TIME_MS: '1500',
    })
    try {
      const syncOrder = receiver.postOrder('/orders/sync', 'drain-1')
      await expect.poll(() => receiver.gauge('sync_orders_in_flight'), { timeout: 5000 }).toBe('1')

      receiver.process.kill('SIGTERM')
      await expect
        .poll(() => receiver.output.some((line) => line.includes('"draining"')), { timeout: 5000 })
        .toBe(true)
      await expect(fetch(`${receiver.base}/health`)).rejects.toThrow()

      const res = await syncOrder
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ order_id: 'drain-1', status: 'completed' })
      expect(await receiver.exited, receiver.output.join('\n')).toBe(0)
    } finally {
      receiver.process.kill('SIGKILL')
    }
  })
})
