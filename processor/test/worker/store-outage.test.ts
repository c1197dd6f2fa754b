import { randomUUID } from 'node:crypto'
import { PublishCommand } from '@aws-sdk/client-sns'
import { anOrder, recordingPayment } from '@orders/order/testing'
import { namespacedTopology } from '@orders/stack/topology'
import { createDynamoClient } from '@orders/store/client'
import { createOrderStore } from '@orders/store/store'
import { afterEach, describe, expect, it } from 'vitest'
import { type SwitchableProxy, startSwitchableProxy } from '../../testing/switchable-proxy.ts'
import { poolFixture } from './pool-fixture.ts'
import { startPool } from './pool-harness.ts'

const fixture = poolFixture()
let proxy: SwitchableProxy | undefined
afterEach(async () => {
  await proxy?.close()
})

describe('orders table outage', () => {
  it('when the table refuses connections, then nothing is paid, one line says so, and the same pool recovers', async () => {
    const { aws } = fixture
    // A visibility timeout of 2 s, so that a message left alone comes back within the test.
    const queues = await aws.provision({
      ...namespacedTopology(randomUUID().slice(0, 8)),
      visibilityTimeoutSeconds: 2,
    })
    proxy = await startSwitchableProxy(aws.dynamo.port)
    const client = createDynamoClient({
      region: 'us-east-1',
      endpoint: proxy.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    let failedClaims = 0
    const store = createOrderStore({
      client,
      tableName: queues.tableName,
      timeoutMs: 300,
      hooks: {
        request: (r) => void (r.operation === 'claim' && r.outcome !== 'ok' && failedClaims++),
      },
    })
    await proxy.cut()
    const payment = recordingPayment()
    const started = startPool({
      aws,
      queueUrl: queues.queueUrl,
      tableName: queues.tableName,
      processOrder: payment.processOrder,
      concurrency: 4,
      store,
    })
    fixture.track(started.pool)
    const orders = [anOrder(), anOrder(), anOrder()]
    for (const order of orders) {
      await aws.clients.sns.send(
        new PublishCommand({ TopicArn: queues.topicArn, Message: JSON.stringify(order) }),
      )
    }
    const tableLines = () => started.logs.filter((l) => l.operation === 'orders table')
    await expect
      .poll(() => tableLines().map((l) => l.msg), { timeout: 5000 })
      .toContain('orders table failing; messages left for redelivery; receives back off')

    // The messages come back (every 2 s) and fail again, and still one line says so.
    await expect.poll(() => failedClaims, { timeout: 10_000 }).toBeGreaterThan(orders.length)
    expect(payment.calls).toEqual([])
    expect(tableLines().length).toBeLessThanOrEqual(2)

    await proxy.restore()
    await expect
      .poll(() => fixture.metric(started, 'orders_processed_total'), { timeout: 15_000 })
      .toBe(orders.length)
    expect(payment.calls.sort()).toEqual(orders.map((o) => o.order_id).sort())
    expect(tableLines().at(-1)).toMatchObject({ msg: 'orders table recovered' })
    client.destroy()
  })
})
