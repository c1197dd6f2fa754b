import { once } from 'node:events'
import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { expectOverloaded, postOrder } from './http-client.ts'
import { receiverEnv, useLocalAws } from './local-aws.ts'
import { startReceiver } from './receiver-process.ts'

const local = useLocalAws()

describe('receiver process limits', () => {
  it('when SYNC_CONCURRENCY and SYNC_QUEUE_LIMIT are set, then the process pays that many and sheds the rest', async () => {
    const receiver = await startReceiver({
      ...receiverEnv(local),
      SYNC_CONCURRENCY: '2',
      SYNC_QUEUE_LIMIT: '0',
      PROCESSING_TIME_MS: '3000',
    })
    try {
      const orders = Array.from({ length: 3 }, () => postOrder(receiver.base, '/orders/sync'))
      await expect.poll(() => orders.filter((sent) => sent.answered).length).toBe(1)
      const [shed] = orders.filter((sent) => sent.answered)
      expectOverloaded(shed?.answered)
      // Both payments still run: the 503 did not wait for a slot.
      expect(await receiver.metric('sync_orders_in_flight')).toBe(2)

      const paid = orders.filter((sent) => sent !== shed)
      const answers = await Promise.all(paid.map((sent) => sent.answer))
      expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    } finally {
      receiver.process.kill('SIGKILL')
    }
  })

  it('when PUBLISH_WAITING_LIMIT orders wait on an SNS that never answers, then the next one is refused at once', async () => {
    const blackHole = createServer(() => {})
    blackHole.listen(0, '127.0.0.1')
    await once(blackHole, 'listening')
    const address = blackHole.address()
    const receiver = await startReceiver({
      // The table on its emulator, SNS a black hole.
      ...receiverEnv(local),
      AWS_ENDPOINT_URL: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      PUBLISH_WAITING_LIMIT: '1',
      PUBLISH_LINGER_MS: '0',
      // Far beyond the test's timeout: the 503 cannot be the publish timeout's.
      SNS_PUBLISH_TIMEOUT_MS: '60000',
    })
    try {
      const waiting = postOrder(receiver.base, '/orders/async')
      await expect.poll(() => receiver.metric('async_orders_awaiting_ack')).toBe(1)
      const refused = await postOrder(receiver.base, '/orders/async').answer
      expectOverloaded(refused)
      expect(waiting.answered).toBeUndefined()
      waiting.leave()
    } finally {
      receiver.process.kill('SIGKILL')
      blackHole.close()
    }
  })
})
