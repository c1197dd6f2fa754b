import { randomUUID } from 'node:crypto'
import { PublishCommand } from '@aws-sdk/client-sns'
import type { SQSClient } from '@aws-sdk/client-sqs'
import type { Order } from '@orders/order/order'
import type { ProcessOrder } from '@orders/order/payment'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import type { Provisioned } from '@orders/stack/provision'
import { namespacedTopology } from '@orders/stack/topology'
import type { OrderStore } from '@orders/store/store'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import type { ConsumerPool } from '../../src/worker/pool.ts'
import { startPool } from './pool-harness.ts'

// One emulator per test file; every test gets its own topic, queue and DLQ (nothing is shared,
// nothing needs purging), and the pools it started are drained after it.
export function poolFixture() {
  let aws: LocalAws | undefined
  let queues: Provisioned | undefined
  const pools: ConsumerPool[] = []
  beforeAll(async () => {
    aws = await startLocalAws()
  })
  beforeEach(async () => {
    queues = await ready().provision(namespacedTopology(randomUUID().slice(0, 8)))
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.drain()))
  })
  afterAll(() => aws?.stop())

  const ready = () => {
    if (aws === undefined) throw new Error('the emulator starts in beforeAll')
    return aws
  }
  const queuesOf = () => {
    if (queues === undefined) throw new Error('the queues are made in beforeEach')
    return queues
  }
  const run = (
    processOrder: ProcessOrder,
    concurrency = 2,
    sqs?: SQSClient,
    store?: OrderStore,
  ) => {
    const started = startPool({
      aws: ready(),
      queueUrl: queuesOf().queueUrl,
      tableName: queuesOf().tableName,
      processOrder,
      concurrency,
      sqs,
      store,
    })
    pools.push(started.pool)
    return started
  }
  return {
    get aws() {
      return ready()
    },
    get queues() {
      return queuesOf()
    },
    run,
    // A pool the test started itself, drained after it like the others.
    track: (pool: ConsumerPool) => pools.push(pool),
    async publish(order: Order) {
      await ready().clients.sns.send(
        new PublishCommand({ TopicArn: queuesOf().topicArn, Message: JSON.stringify(order) }),
      )
    },
    async metric(started: ReturnType<typeof run>, name: string) {
      return (await started.metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0
    },
  }
}
