import { randomUUID } from 'node:crypto'
import {
  type LogLine,
  postOrder,
  serviceEntry,
  useServicesOnLocalAws,
} from '@orders/stack/service-process'
import { describe, expect, it } from 'vitest'

const aws = useServicesOnLocalAws()

describe('receiver to processor', () => {
  it('when an async order is accepted, then the processor completes that same order once', async () => {
    const { topicArn, queueUrl } = aws.local.queues
    const settings = { PROCESSING_TIME_MS: '50' }
    const receiver = await aws.local.start('receiver', serviceEntry('receiver'), {
      ...settings,
      ORDERS_TOPIC_ARN: topicArn,
    })
    const processor = await aws.local.start('processor', serviceEntry('processor'), {
      ...settings,
      ORDERS_QUEUE_URL: queueUrl,
    })
    await receiver.line((line) => line.msg === 'listening')
    await processor.line((line) => line.msg === 'consuming')

    const orderId = `e2e-${randomUUID()}`
    const answer = await postOrder(receiver.url, orderId)
    expect(answer).toMatchObject({ status: 202, body: { order_id: orderId, status: 'pending' } })

    const completed = (line: LogLine) => line.msg === 'order completed'
    await expect
      .poll(() => processor.lines(completed), { timeout: 15_000 })
      .toEqual([expect.objectContaining({ orderId, status: 'completed' })])
    // Paid once: the only order this processor has seen is counted once, and logged once.
    await expect.poll(() => processor.metric('orders_processed_total'), { timeout: 5000 }).toBe(1)
    expect(processor.lines(completed)).toHaveLength(1)
  })
})
