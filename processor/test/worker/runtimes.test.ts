import { randomUUID } from 'node:crypto'
import { anOrder, recordingPayment } from '@orders/order/testing'
import { createOrderStore } from '@orders/store/store'
import { describe, expect, it } from 'vitest'
import { createMetrics } from '../../src/core/metrics.ts'
import { createSnsHandler, OrderHeldError } from '../../src/lambda/sns-handler.ts'
import { snsEvent } from '../../testing/lambda-invoke.ts'
import { capturingLogger } from '../log-lines.ts'
import { poolFixture } from './pool-fixture.ts'

const fixture = poolFixture()

// The Lambda function's handler on the same table as the worker's pool.
function lambdaOnTheTable(processOrder = recordingPayment().processOrder) {
  const metrics = createMetrics()
  const handle = createSnsHandler({
    processOrder,
    store: createOrderStore({
      client: fixture.aws.clients.dynamodb,
      tableName: fixture.queues.tableName,
    }),
    owner: `lambda-${randomUUID()}`,
    leaseMs: 25_000,
    logger: capturingLogger().logger,
    metrics: metrics.orders,
  })
  return { handle, metrics }
}

describe('the worker and the Lambda function on one table', () => {
  it('when the function completed an order, then the worker acknowledges its delivery unpaid', async () => {
    const lambda = recordingPayment()
    const fn = lambdaOnTheTable(lambda.processOrder)
    const worker = recordingPayment()
    const started = fixture.run(worker.processOrder)
    const order = anOrder()

    await fn.handle(snsEvent([JSON.stringify(order)]))
    await fixture.publish(order)

    await expect
      .poll(() => fixture.metric(started, 'orders_duplicate_total'), { timeout: 5000 })
      .toBe(1)
    expect(lambda.calls).toEqual([order.order_id])
    expect(worker.calls).toEqual([])
  })

  it('when the worker holds or completed an order, then the function pays nothing', async () => {
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const worker = recordingPayment()
    const started = fixture.run(async (order) => {
      await gate
      return worker.processOrder(order)
    })
    const lambda = recordingPayment()
    const fn = lambdaOnTheTable(lambda.processOrder)
    const order = anOrder()
    const event = snsEvent([JSON.stringify(order)])
    await fixture.publish(order)
    await expect.poll(() => fixture.metric(started, 'orders_in_flight'), { timeout: 5000 }).toBe(1)

    await expect(fn.handle(event)).rejects.toBeInstanceOf(OrderHeldError)
    release()
    await expect
      .poll(() => fixture.metric(started, 'orders_processed_total'), { timeout: 5000 })
      .toBe(1)
    // Lambda's retry of the same event: a duplicate now.
    await expect(fn.handle(event)).resolves.toBeUndefined()
    expect(lambda.calls).toEqual([])
    expect(worker.calls).toEqual([order.order_id])
    const duplicates = await fn.metrics.registry.getSingleMetric('orders_duplicate_total')?.get()
    expect(duplicates?.values[0]?.value).toBe(1)
  })
})
