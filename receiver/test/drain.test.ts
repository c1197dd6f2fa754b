import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { startProcess } from '@orders/stack/children'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { freePort } from '@orders/stack/ports'
import type { Provisioned } from '@orders/stack/provision'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))

let aws: LocalAws
let queues: Provisioned
beforeAll(async () => {
  aws = await startLocalAws()
  queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
})
afterAll(() => aws.stop())

describe('receiver SIGTERM with a batch waiting', () => {
  it('when SIGTERM arrives while an order waits out the linger, then it is published, answered 202, exit 0', async () => {
    const port = await freePort()
    const output: string[] = []
    const receiver = startProcess(
      'receiver',
      server,
      {
        PATH: process.env.PATH,
        ...aws.env,
        PORT: String(port),
        ORDERS_TOPIC_ARN: queues.topicArn,
        // Far beyond the test's timeout: only the drain can send this batch in time.
        PUBLISH_LINGER_MS: '60000',
      },
      (line) => output.push(line),
    )
    try {
      const base = `http://127.0.0.1:${port}`
      const health = () =>
        fetch(`${base}/health`).then(
          (r) => r.status,
          () => 0,
        )
      await expect.poll(health, { timeout: 10_000 }).toBe(200)

      const orderId = randomUUID()
      const accepted = fetch(`${base}/orders/async`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          order_id: orderId,
          customer_id: 1,
          items: [{ product_id: 'A', quantity: 1, price: 1 }],
        }),
      })
      const waiting = () =>
        fetch(`${base}/metrics`)
          .then((r) => r.text())
          .then((text) => /^sns_publish_waiting (\d+)/m.exec(text)?.[1])
      await expect.poll(waiting, { timeout: 5000 }).toBe('1')

      receiver.process.kill('SIGTERM')
      const res = await accepted
      expect(res.status).toBe(202)
      expect(await res.json()).toMatchObject({ order_id: orderId, message_id: expect.any(String) })
      expect(await receiver.exited, output.join('\n')).toBe(0)
    } finally {
      receiver.process.kill('SIGKILL')
    }
  })
})
