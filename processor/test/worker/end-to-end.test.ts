import { randomUUID } from 'node:crypto'
import { createPayment } from '@orders/order/payment'
import { recordingPayment } from '@orders/order/testing'
import { createApp } from '@orders/receiver/app'
import { createMetrics } from '@orders/receiver/metrics'
import { createOrderPublisher } from '@orders/receiver/publisher'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { namespacedTopology } from '@orders/stack/topology'
import { pino } from 'pino'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsumerPool } from '../../src/worker/pool.ts'
import { startPool } from './pool-harness.ts'

let aws: LocalAws
let pool: ConsumerPool | undefined
beforeAll(async () => {
  aws = await startLocalAws()
})
afterAll(async () => {
  await pool?.drain()
  await aws.stop()
})

describe('receiver to processor', () => {
  it('when an async order is accepted, then the processor completes that same order', async () => {
    const queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
    const receiver = createApp({
      publishOrder: createOrderPublisher({
        sns: aws.clients.sns,
        topicArn: queues.topicArn,
        timeoutMs: 2000,
      }),
      processOrder: createPayment(1),
      logger: pino({ level: 'silent' }),
      metrics: createMetrics(),
      syncConcurrency: 1,
    })
    const payment = recordingPayment()
    const started = startPool({
      aws,
      queueUrl: queues.queueUrl,
      processOrder: payment.processOrder,
    })
    pool = started.pool

    const orderId = `e2e-${randomUUID()}`
    const res = await request(receiver)
      .post('/orders/async')
      .send({
        order_id: orderId,
        customer_id: 9,
        items: [{ product_id: 'B', quantity: 3, price: 2.5 }],
      })
    expect(res.status).toBe(202)

    await expect
      .poll(() => started.logs.find((line) => line.msg === 'order completed'), { timeout: 5000 })
      .toMatchObject({ orderId, status: 'completed' })
    expect(payment.calls).toEqual([orderId])
  })
})
