import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { receiverEnv, useLocalAws } from './local-aws.ts'
import { startReceiver } from './receiver-process.ts'

const local = useLocalAws()

describe('receiver SIGTERM', () => {
  it('when SIGTERM arrives during a sync payment, then it completes, new connections are refused, exit 0', async () => {
    const receiver = await startReceiver({ ...receiverEnv(local), PROCESSING_TIME_MS: '1500' })
    try {
      const orderId = `drain-${randomUUID()}`
      const syncOrder = receiver.postOrder('/orders/sync', orderId)
      await expect.poll(() => receiver.metric('sync_orders_in_flight'), { timeout: 5000 }).toBe(1)

      receiver.process.kill('SIGTERM')
      await expect
        .poll(() => receiver.output.some((line) => line.includes('"draining"')), { timeout: 5000 })
        .toBe(true)
      await expect(fetch(`${receiver.base}/health`)).rejects.toThrow()

      const res = await syncOrder
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ order_id: orderId, status: 'completed' })
      expect(await receiver.exited, receiver.output.join('\n')).toBe(0)
    } finally {
      receiver.process.kill('SIGKILL')
    }
  })
})
