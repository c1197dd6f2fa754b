import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { ProcessOrder } from '@orders/order/payment'
import { anOrder, recordingPayment } from '@orders/order/testing'
import { describe, expect, it } from 'vitest'
import { startSwitchableProxy } from '../../testing/switchable-proxy.ts'
import { poolFixture } from './pool-fixture.ts'
import { spyingSqs } from './sqs-spy.ts'

const fixture = poolFixture()
const { run, publish, metric } = fixture

// A payment that waits until the test lets its order through (or opens every gate).
function gatedPayment() {
  const started: string[] = []
  const gates = new Map<string, () => void>()
  let open = false
  const processOrder: ProcessOrder = async (order) => {
    started.push(order.order_id)
    if (!open) await new Promise<void>((resolve) => gates.set(order.order_id, resolve))
    return { ...order, status: 'completed' }
  }
  const finish = (orderId: string | undefined) => gates.get(orderId ?? '')?.()
  const openAll = () => {
    open = true
    for (const release of gates.values()) release()
  }
  return { started, processOrder, finish, openAll }
}

describe('order slots over batched receives', () => {
  it('when one order of a batch finishes, then one received ahead starts in its slot with no receive between', async () => {
    for (let i = 0; i < 6; i++) await publish(anOrder())
    const spy = spyingSqs(fixture.aws)
    const payment = gatedPayment()
    run(payment.processOrder, 3, spy.sqs)
    await expect.poll(() => payment.started.length, { timeout: 5000 }).toBe(3)
    // Three in the slots and three ahead of them: the whole budget.
    await expect.poll(() => spy.bodyReads.size, { timeout: 5000 }).toBe(6)
    const receives = spy.commands('ReceiveMessageCommand')
    expect(receives[0]?.input.MaxNumberOfMessages).toBe(6)

    payment.finish(payment.started[0])
    await expect.poll(() => payment.started.length, { timeout: 5000 }).toBe(4)
    expect(spy.commands('ReceiveMessageCommand')).toHaveLength(receives.length)
    payment.openAll()
  })

  it('when a long poll returns messages after the drain began, then they are released, not run', async () => {
    const spy = spyingSqs(fixture.aws)
    const payment = recordingPayment()
    const started = run(payment.processOrder, 2, spy.sqs)
    await expect
      .poll(() => spy.commands('ReceiveMessageCommand').length, { timeout: 5000 })
      .toBeGreaterThan(0)
    await started.pool.drain()

    const order = anOrder()
    await publish(order)
    // Visible again at once: without the release it would stay hidden for the 30 s timeout.
    const receiveCounts = async () => {
      const { Messages = [] } = await fixture.aws.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: fixture.queues.queueUrl,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      )
      return Messages.map((m) => m.Attributes?.ApproximateReceiveCount)
    }
    await expect.poll(receiveCounts, { timeout: 8000 }).toEqual(['2'])
    expect(payment.calls).toEqual([])
    expect(spy.commands('ChangeMessageVisibilityBatchCommand')).toHaveLength(1)
  })

  it('when the endpoint refuses connections for a while, then few lines are logged and it resumes', async () => {
    const proxy = await startSwitchableProxy(fixture.aws.emulator.port)
    const sqs = new SQSClient({
      region: fixture.aws.env.AWS_REGION,
      endpoint: proxy.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    try {
      const payment = recordingPayment()
      const started = run(payment.processOrder, 4, sqs)
      const cutAt = Date.now()
      await proxy.cut()
      await expect
        .poll(() => metric(started, 'sqs_receive_errors_total'), { timeout: 15_000 })
        .toBeGreaterThanOrEqual(6)
      await proxy.restore()
      const outageMs = Date.now() - cutAt

      const order = anOrder()
      await publish(order)
      await expect.poll(() => payment.calls, { timeout: 15_000 }).toEqual([order.order_id])
      const warnings = started.logs.filter((line) => line.level >= 40)
      expect(warnings.map((line) => line.msg)[0]).toBe('sqs receive failing; retrying with backoff')
      expect(warnings.length).toBeLessThanOrEqual(1 + Math.floor(outageMs / 10_000))
      expect(started.logs.find((line) => line.msg === 'sqs receive recovered')).toMatchObject({
        failures: expect.any(Number),
      })
      // A receive loop without backoff fails thousands of times in a few seconds.
      expect(await metric(started, 'sqs_receive_errors_total')).toBeLessThan(60)
    } finally {
      await proxy.close()
      sqs.destroy()
    }
  })
})
