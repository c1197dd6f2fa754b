import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PublishCommand } from '@aws-sdk/client-sns'
import { anOrder } from '@orders/order/testing'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { type ServiceProcess, startService } from '@orders/stack/service-process'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorker } from '../../build/worker.ts'

// Outside the repository: no node_modules above it, so the bundle can only run on what it holds.
const outdir = mkdtempSync(join(tmpdir(), 'worker-bundle-'))
let file = ''
let aws: LocalAws
let service: ServiceProcess | undefined

beforeAll(async () => {
  ;[aws, { file }] = await Promise.all([startLocalAws(), buildWorker(outdir)])
})
afterAll(async () => {
  service?.child.process.kill('SIGKILL')
  await aws.stop()
  rmSync(outdir, { recursive: true, force: true })
})

describe('worker bundle (what the processor image runs)', () => {
  it('when built, then it is one module', () => {
    expect(readdirSync(outdir)).toEqual(['server.mjs'])
  })

  it('when run alone with no node_modules in reach, then it answers /health, pays each order once and drains on SIGTERM', async () => {
    const queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
    const worker = await startService('processor', file, {
      ...aws.env,
      ORDERS_QUEUE_URL: queues.queueUrl,
      ORDERS_TABLE_NAME: queues.tableName,
      PROCESSOR_CONCURRENCY: '2',
      PROCESSING_TIME_MS: '50',
    })
    service = worker
    const orders = [anOrder(), anOrder(), anOrder()]
    for (const order of orders) {
      await aws.clients.sns.send(
        new PublishCommand({ TopicArn: queues.topicArn, Message: JSON.stringify(order) }),
      )
    }
    const completed = () =>
      worker
        .lines((line) => line.msg === 'order completed')
        .map((line) => line.orderId)
        .sort()
    const ids = orders.map((order) => order.order_id).sort()
    await expect.poll(completed, { timeout: 15_000 }).toEqual(ids)
    const health = await fetch(`${worker.url}/health`)
    expect(health.status).toBe(200)

    worker.child.process.kill('SIGTERM')
    expect(await worker.child.exited, worker.output.join('\n')).toBe(0)
    expect(worker.logs.filter((line) => Number(line.level) >= 50)).toEqual([])
  })
})
