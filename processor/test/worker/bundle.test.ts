import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PublishCommand } from '@aws-sdk/client-sns'
import { newOrder } from '@orders/order/order'
import { type Child, startProcess } from '@orders/stack/children'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { freePort } from '@orders/stack/ports'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorker } from '../../build/worker.ts'

// Outside the repository: no node_modules above it, so the bundle can only run on what it holds.
const outdir = mkdtempSync(join(tmpdir(), 'worker-bundle-'))
let file = ''
let aws: LocalAws
let child: Child | undefined

beforeAll(async () => {
  ;[aws, { file }] = await Promise.all([startLocalAws(), buildWorker(outdir)])
})
afterAll(async () => {
  child?.process.kill('SIGKILL')
  await aws.stop()
  rmSync(outdir, { recursive: true, force: true })
})

describe('worker bundle (what the processor image runs)', () => {
  it('when built, then it is one module', () => {
    expect(readdirSync(outdir)).toEqual(['server.mjs'])
  })

  it('when run alone with no node_modules in reach, then it answers /health, pays each order once and drains on SIGTERM', async () => {
    const queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
    const port = await freePort()
    const output: string[] = []
    child = startProcess(
      'processor',
      file,
      {
        PATH: process.env.PATH,
        ...aws.env,
        PORT: String(port),
        METRICS_PORT: String(await freePort()),
        ORDERS_QUEUE_URL: queues.queueUrl,
        ORDERS_TABLE_NAME: queues.tableName,
        PROCESSOR_CONCURRENCY: '2',
        PROCESSING_TIME_MS: '50',
      },
      (line) => output.push(line),
    )
    const ids = [randomUUID(), randomUUID(), randomUUID()]
    for (const order_id of ids) {
      const order = newOrder({
        order_id,
        customer_id: 3,
        items: [{ product_id: 'C', quantity: 1, price: 2 }],
      })
      await aws.clients.sns.send(
        new PublishCommand({ TopicArn: queues.topicArn, Message: JSON.stringify(order) }),
      )
    }
    const completed = () =>
      output
        .filter((line) => line.includes('"order completed"'))
        .map((line) => JSON.parse(line).orderId)
        .sort()
    await expect.poll(completed, { timeout: 15_000 }).toEqual([...ids].sort())
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    expect(health.status).toBe(200)

    child.process.kill('SIGTERM')
    expect(await child.exited, output.join('\n')).toBe(0)
    expect(output.filter((line) => /"level":(50|60)/.test(line))).toEqual([])
  })
})
