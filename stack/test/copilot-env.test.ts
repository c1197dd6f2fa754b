import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Child, startProcess, stopChild } from '../src/children.ts'
import { type LocalAws, startLocalAws } from '../src/emulator.ts'
import { freePort } from '../src/ports.ts'
import type { Provisioned } from '../src/provision.ts'
import { namespacedTopology } from '../src/topology.ts'
import { processorManifest, readYaml, repoPath } from './copilot.ts'

type LogLine = { msg?: string; [field: string]: unknown }
type Service = { child: Child; logs: LogLine[]; output: string[]; port: number }

let aws: LocalAws
let queues: Provisioned
const services: Service[] = []

// Built from scratch rather than from process.env, so the only AWS wiring a service can find is
// what Copilot injects on ECS: no ORDERS_TOPIC_ARN, no ORDERS_QUEUE_URL.
function copilotEnv(
  port: number,
  metricsPort: number,
  wiring: Record<string, string>,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...aws.env,
    ...wiring,
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    PROCESSING_TIME_MS: '50',
    LOG_LEVEL: 'info',
  }
}

const entries = { receiver: 'receiver/src/server.ts', processor: 'processor/src/worker/server.ts' }

async function startService(name: 'receiver' | 'processor', wiring: Record<string, string>) {
  const port = await freePort()
  const logs: LogLine[] = []
  const output: string[] = []
  const child = startProcess(
    name,
    repoPath(entries[name]),
    copilotEnv(port, await freePort(), wiring),
    (line) => {
      output.push(line)
      if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine)
    },
  )
  const service: Service = { child, logs, output, port }
  services.push(service)
  return service
}

// Polls the service's log; a service that died is reported with everything it printed.
function logLine(service: Service, match: (line: LogLine) => boolean) {
  return expect
    .poll(
      () => {
        if (service.child.process.exitCode !== null) throw new Error(service.output.join('\n'))
        return service.logs.find(match)
      },
      { timeout: 15_000 },
    )
    .toBeDefined()
    .then(() => service.logs.find(match) as LogLine)
}

// The manifest's ECS health check command, run as ECS would run it inside the processor's task.
function containerHealthCheck(port: number) {
  const manifest = processorManifest.parse(readYaml('copilot/processor/manifest.yml'))
  const [form, program, ...args] = manifest.image.healthcheck.command
  expect([form, program]).toEqual(['CMD', 'node'])
  return promisify(execFile)(process.execPath, args, { env: { PORT: String(port) } })
}

beforeAll(async () => {
  aws = await startLocalAws()
  queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
})
afterAll(async () => {
  await Promise.all(services.map((service) => stopChild(service.child, 10_000)))
  await aws?.stop()
})

describe('services configured only by Copilot variables', () => {
  it('when an order is posted async, then the processor completes it from its Copilot queue', async () => {
    const receiver = await startService('receiver', {
      COPILOT_SNS_TOPIC_ARNS: JSON.stringify({ orders: queues.topicArn }),
    })
    const processor = await startService('processor', { COPILOT_QUEUE_URI: queues.queueUrl })

    // Each reports the address it resolved: the proof it used the Copilot variable.
    const listening = await logLine(receiver, (line) => line.msg === 'listening')
    expect(listening.topicArn).toBe(queues.topicArn)
    const consuming = await logLine(processor, (line) => line.msg === 'consuming')
    expect(consuming.queueUrl).toBe(queues.queueUrl)
    await expect(containerHealthCheck(processor.port)).resolves.toBeDefined()

    const orderId = randomUUID()
    const res = await fetch(`http://127.0.0.1:${receiver.port}/orders/async`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        order_id: orderId,
        customer_id: 42,
        items: [{ product_id: 'SKU-001', quantity: 2, price: 9.5 }],
      }),
    })
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({ order_id: orderId, status: 'pending' })

    const completed = await logLine(
      processor,
      (line) => line.msg === 'order completed' && line.orderId === orderId,
    )
    expect(completed.status).toBe('completed')
  })
})
