import { connect, createServer } from 'node:net'
import { networkInterfaces } from 'node:os'
import { fileURLToPath } from 'node:url'
import {
  type ServiceProcess,
  type ServicesOnLocalAws,
  startServicesOnLocalAws,
} from '@orders/stack/service-process'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

let local: ServicesOnLocalAws
beforeAll(async () => {
  local = await startServicesOnLocalAws()
})
afterAll(() => local?.stop())

// "connected" when a TCP connection to host:port is accepted, else why not (ECONNREFUSED, ...).
function reach(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 })
    const done = (outcome: string) => {
      socket.destroy()
      resolve(outcome)
    }
    socket.once('connect', () => done('connected'))
    socket.once('timeout', () => done('timeout'))
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message))
  })
}

// Whether host is an address of this machine that takes connections: a listener of our own there,
// for a moment, answers. If it does, a port bound to every interface would answer there too.
async function answersOn(host: string): Promise<boolean> {
  const probe = createServer((socket) => socket.destroy())
  const listening = await new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false))
    probe.listen(0, host, () => resolve(true))
  })
  if (!listening) return false
  const address = probe.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const outcome = await reach(host, port)
  await new Promise((resolve) => probe.close(resolve))
  return outcome === 'connected'
}

// Addresses other than 127.0.0.1 on which a port bound to 127.0.0.1 alone must not answer. Linux
// routes all of 127.0.0.0/8 to the loopback, so 127.0.0.2 is one on any Linux machine, with or
// without a network; elsewhere, the machine's own non-loopback addresses.
async function otherLocalAddresses(): Promise<string[]> {
  const candidates = [
    '127.0.0.2',
    ...Object.values(networkInterfaces())
      .flat()
      .filter((address) => address?.family === 'IPv4' && !address.internal)
      .map((address) => address?.address ?? ''),
  ]
  const answered = await Promise.all(candidates.map(answersOn))
  return candidates.filter((_, i) => answered[i])
}

const others = await otherLocalAddresses()
const noOtherAddress = others.length === 0
const unreachableTitle = noOtherAddress
  ? 'skipped: no address but 127.0.0.1 reaches this machine'
  : others.join(', ')
if (noOtherAddress) console.warn(`the loopback-only check is ${unreachableTitle}`)

const services = {
  receiver: () => ({ ORDERS_TOPIC_ARN: local.queues.topicArn }),
  processor: () => ({ ORDERS_QUEUE_URL: local.queues.queueUrl }),
}

describe.each(Object.entries(services))('%s ports', (name, wiring) => {
  let service: ServiceProcess
  const get = (at: number, path: string) =>
    fetch(`http://127.0.0.1:${at}${path}`, { signal: AbortSignal.timeout(2000) })

  beforeAll(async () => {
    const script = fileURLToPath(import.meta.resolve(`@orders/${name}/server`))
    // HOST is left unset: the default is what a developer gets.
    service = await local.start(name, script, wiring())
    await vi.waitFor(
      async () => {
        expect(service.output.join('\n')).toContain('"serving metrics"')
        expect((await get(service.port, '/health')).status).toBe(200)
      },
      { timeout: 10_000, interval: 100 },
    )
  })
  afterAll(() => service.stop(5000))

  it('when started with PORT and METRICS_PORT, then /metrics answers only on the metrics port', async () => {
    const { port, metricsPort } = service
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

  it('when HOST is unset, then it reports both ports bound to 127.0.0.1', () => {
    const { port, metricsPort } = service
    const bound = service.logs.filter((line) => line.port === port || line.port === metricsPort)
    expect(bound.map((line) => [line.host, line.port]).sort()).toEqual(
      [
        ['127.0.0.1', port],
        ['127.0.0.1', metricsPort],
      ].sort(),
    )
  })

  it.skipIf(noOtherAddress)(
    `when HOST is unset, then neither port answers on another address of this machine (${unreachableTitle})`,
    async () => {
      for (const host of others) {
        for (const at of [service.port, service.metricsPort]) {
          expect(await reach('127.0.0.1', at), `127.0.0.1:${at}`).toBe('connected')
          expect(await reach(host, at), `${host}:${at}`).not.toBe('connected')
        }
      }
    },
  )
})
