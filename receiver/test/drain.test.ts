import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { receiverEnv, useLocalAws } from './local-aws.ts'
import { startReceiver } from './receiver-process.ts'

const local = useLocalAws()

describe('receiver SIGTERM with a batch waiting', () => {
  it('when SIGTERM arrives while an order waits out the linger, then it is published, answered 202, exit 0', async () => {
    const receiver = await startReceiver({
      ...receiverEnv(local),
      // Far beyond the test's timeout: only the drain can send this batch in time.
      PUBLISH_LINGER_MS: '60000',
    })
    try {
      const orderId = randomUUID()
      const accepted = receiver.postOrder('/orders/async', orderId)
      await expect.poll(() => receiver.metric('sns_publish_waiting'), { timeout: 5000 }).toBe(1)

      receiver.process.kill('SIGTERM')
      const res = await accepted
      expect(res.status).toBe(202)
      expect(await res.json()).toMatchObject({ order_id: orderId, message_id: expect.any(String) })
      expect(await receiver.exited, receiver.output.join('\n')).toBe(0)
    } finally {
      receiver.process.kill('SIGKILL')
    }
  })
})
