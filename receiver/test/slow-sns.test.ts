import { createPayment } from '@orders/order/payment'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { createMetrics } from '../src/metrics.ts'
import { createPublisher } from '../src/publisher.ts'
import { startHoldingProxy } from './holding-proxy.ts'
import { expectOverloaded, listen, postOrder } from './http-client.ts'
import { queuedMessages, recordsOn, useLocalAws } from './local-aws.ts'
import { recordingSns } from './sns-calls.ts'

const local = useLocalAws()

describe('POST /orders/async when SNS slows down', () => {
  it('when more orders wait for SNS than PUBLISH_WAITING_LIMIT, then the excess gets 503 overloaded at once and every accepted one is queued', async () => {
    const proxy = await startHoldingProxy(local.aws.emulator.port)
    const { sns, calls } = recordingSns({ ...local.aws.env, AWS_ENDPOINT_URL: proxy.endpoint })
    const metrics = createMetrics()
    const publisher = createPublisher({
      sns,
      topicArn: local.queues.topicArn,
      // Far beyond the test's own timeout: any 503 here is the limit's, never the publish timeout's.
      timeoutMs: 60_000,
      lingerMs: 2,
      metrics,
    })
    const app = createApp({
      records: recordsOn(local, metrics),
      publishOrder: publisher.publishOrder,
      processOrder: createPayment(1),
      logger: pino({ level: 'silent' }),
      metrics,
      syncConcurrency: 1,
      publishWaitingLimit: 3,
    })
    const { base, close } = await listen(app)
    try {
      const orders = Array.from({ length: 5 }, () => postOrder(base, '/orders/async'))

      // Answered while SNS holds every acknowledgement.
      await expect.poll(() => orders.filter((sent) => sent.answered).length).toBe(2)
      const shed = orders.filter((sent) => sent.answered)
      for (const { answered } of shed) expectOverloaded(answered)
      expect((await metrics.awaitingAck.get()).values[0]?.value).toBe(3)
      const entries = () =>
        calls.flatMap((call) =>
          call.command === 'PublishBatchCommand'
            ? (call.input.PublishBatchRequestEntries as unknown[])
            : [call.input],
        )
      // Each admitted order is recorded first, then reaches SNS.
      await expect.poll(() => entries()).toHaveLength(3)

      proxy.release()
      const accepted = orders.filter((sent) => !shed.includes(sent))
      const answers = await Promise.all(accepted.map((sent) => sent.answer))
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202])
      const queued = await queuedMessages(local, 3)
      expect([...queued.keys()].toSorted()).toEqual(accepted.map((sent) => sent.orderId).toSorted())
      expect((await metrics.awaitingAck.get()).values[0]?.value).toBe(0)
    } finally {
      await close()
      sns.destroy()
      await proxy.close()
    }
  })
})
