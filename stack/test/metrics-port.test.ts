import { randomUUID } from 'node:crypto'
import { networkInterfaces } from 'node:os'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type Child, startProcess, stopChild } from '../src/children.ts'
import { type LocalAws, startLocalAws } from '../src/emulator.ts'
import { freePort } from '../src/ports.ts'
import { namespacedTopology } from '../src/topology.ts'

const script = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))
let aws: LocalAws
beforeAll(async () => {
  aws = await startLocalAws()
})
afterAll(() => aws.stop())

// An address of this machine other than loopback, when it has one: a port bound to 127.0.0.1
// must refuse connections there.
const external = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address

const entries = { receiver: 'receiver/src/server.ts', processor: 'processor/src/worker/server.ts' }

const services = {
  receiver: async () => ({
    // Never contacted: nothing here publishes.
    ORDERS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:orders',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  }),
  processor: async () => ({
    ...aws.env,
    ORDERS_QUEUE_URL: (await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))).queueUrl,
  }),
}

describe.each(Object.entries(services))('%s ports', (name, wiring) => {
  let child: Child
  let port: number
  let metricsPort: number
  const output: string[] = []
  const get = (at: number, path: string, host = '127.0.0.1') =>
    fetch(`http://${host}:${at}${path}`, { signal: AbortSignal.timeout(2000) })

  beforeAll(async () => {
    ;[port, metricsPort] = [await freePort(), await freePort()]
    // HOST is left unset: the default is what a developer gets.
    const env = { PATH: process.env.PATH, PORT: String(port), METRICS_PORT: String(metricsPort) }
    child = startProcess(
      name,
      script(entries[name as keyof typeof entries]),
      { ...env, ...(await wiring()) },
      (line) => output.push(line),
    )
    await vi.waitFor(
      async () => {
        expect(output.join('\n')).toContain('"serving metrics"')
        expect((await get(port, '/health')).status).toBe(200)
      },
      { timeout: 10_000, interval: 100 },
    )
  })
  afterAll(() => stopChild(child, 5000))

  it('when started with PORT and METRICS_PORT, then /metrics answers only on the metrics port', async () => {
    const [onPublic, onMetrics, unknown, healthOnMetrics] = await Promise.all([
      get(port, '/metrics'),
      get(metricsPort, '/metrics'),
      get(port, '/no-such-route'),
      get(metricsPort, '/health'),
    ])
    expect(onPublic.status).toBe(404)
    expect(await onPublic.json()).toEqual({
      error: 'not_found',
      message: 'no route for GET /metrics',
    })
    expect(unknown.status).toBe(404)
    expect(onMetrics.status).toBe(200)
    expect(await onMetrics.text()).toMatch(/^# TYPE process_cpu_seconds_total counter$/m)
    expect(healthOnMetrics.status).toBe(404)
  })

  it('when HOST is unset, then both ports are bound to 127.0.0.1 only', async () => {
    const bound = output
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { host?: string; port?: number })
      .filter((line) => line.port === port || line.port === metricsPort)
    expect(bound.map((line) => [line.host, line.port]).sort()).toEqual(
      [
        ['127.0.0.1', port],
        ['127.0.0.1', metricsPort],
      ].sort(),
    )
    if (!external) return
    for (const at of [port, metricsPort]) {
      await expect(get(at, '/health', external), `${external}:${at}`).rejects.toThrow()
    }
  })
})
