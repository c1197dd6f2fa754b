import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { PublishCommand } from '@aws-sdk/client-sns'
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import { newOrder } from '@orders/order/order'
import { type Child, startProcess } from '@orders/stack/children'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { freePort } from '@orders/stack/ports'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const server = fileURLToPath(new URL('../../src/worker/server.ts', import.meta.url))
let aws: LocalAws
let child: Child | undefined

beforeAll(async () => {
  aws = await startLocalAws()
})
afterAll(async () => {
  child?.process.kill('SIGKILL')
  await aws.stop()
})

describe('processor SIGTERM', () => {
  it('when SIGTERM arrives mid-payment, then in-flight orders finish, are deleted, exit 0', async () => {
    const queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
    const metricsPort = await freePort()
    const output: string[] = []
    child = startProcess(
      'processor',
      server,
      {
        PATH: process.env.PATH,
        ...aws.env,
        PORT: String(await freePort()),
        METRICS_PORT: String(metricsPort),
        ORDERS_QUEUE_URL: queues.queueUrl,
        ORDERS_TABLE_NAME: queues.tableName,
        PROCESSOR_CONCURRENCY: '3',
        PROCESSING_TIME_MS: '1500',
      },
      (line) => output.push(line),
    )

    const ids = [randomUUID(), randomUUID(), randomUUID()]
    for (const order_id of ids) {
      const order = newOrder({
        order_id,
        customer_id: 7,
        items: [{ product_id: 'A', quantity: 1, price: 1 }],
      })
      await aws.clients.sns.send(
        new PublishCommand({ TopicArn: queues.topicArn, Message: JSON.stringify(order) }),
      )
    }
    const inFlight = async () => {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => undefined)
      return res?.ok ? /^orders_in_flight (\d+)/m.exec(await res.text())?.[1] : undefined
    }
    await expect.poll(inFlight, { timeout: 10_000 }).toBe('3')

    child.process.kill('SIGTERM')
    expect(await child.exited, output.join('\n')).toBe(0)

    const completed = output
      .filter((line) => line.includes('"order completed"'))
      .map((line) => JSON.parse(line).orderId)
    expect(completed.sort()).toEqual([...ids].sort())

    // ReceiveMessage refreshes fauxqs's counters; nothing may be left visible or in flight.
    const { Messages = [] } = await aws.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues.queueUrl, WaitTimeSeconds: 0 }),
    )
    expect(Messages).toEqual([])
    const { Attributes } = await aws.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ['All'] }),
    )
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    })
  })
})
