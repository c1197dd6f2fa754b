import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect } from 'vitest'
import { type Child, startProcess, stopChild } from '../src/children.ts'
import { startLocalAws } from '../src/emulator.ts'
import { freePort } from '../src/ports.ts'
import { namespacedTopology } from '../src/topology.ts'

export type LogLine = { msg?: string; [field: string]: unknown }
export type ServiceProcess = Awaited<ReturnType<typeof startService>>

// A service as its task runs it: its entry script in a process of its own, on free ports, with an
// environment built from scratch (only PATH and what the caller passes reach it, never the shell's
// AWS settings); unless HOST says otherwise it binds the loopback, the services' default. Its pino
// lines are kept as objects, everything it prints as text for failure messages. The caller stops it.
export async function startService(
  name: string,
  script: string,
  env: Record<string, string | undefined>,
) {
  const [port, metricsPort] = [await freePort(), await freePort()]
  const logs: LogLine[] = []
  const output: string[] = []
  const child: Child = startProcess(
    name,
    script,
    { PATH: process.env.PATH, ...env, PORT: String(port), METRICS_PORT: String(metricsPort) },
    (line) => {
      output.push(line)
      if (line.startsWith('{')) logs.push(JSON.parse(line) as LogLine)
    },
  )
  // The log lines that match; a service that died throws with its output.
  const lines = (match: (line: LogLine) => boolean) => {
    if (child.process.exitCode !== null) throw new Error(output.join('\n'))
    return logs.filter(match)
  }
  return {
    child,
    logs,
    output,
    port,
    metricsPort,
    url: `http://127.0.0.1:${port}`,
    lines,
    // The first line that matches, once the service has written it.
    async line(match: (line: LogLine) => boolean, timeoutMs = 15_000) {
      await expect.poll(() => lines(match), { timeout: timeoutMs }).not.toHaveLength(0)
      return lines(match)[0] as LogLine
    },
    // An unlabelled counter or gauge on its metrics port.
    async metric(metric: string) {
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
      const value = new RegExp(`^${metric} (\\d+(?:\\.\\d+)?)$`, 'm').exec(await res.text())?.[1]
      return value === undefined ? undefined : Number(value)
    },
    stop: (graceMs = 10_000) => stopChild(child, graceMs),
  }
}

export type ServicesOnLocalAws = Awaited<ReturnType<typeof startServicesOnLocalAws>>

// The entry script `npm start` runs for a workspace that exports one (`@orders/<name>/server`).
export function serviceEntry(name: 'receiver' | 'processor'): string {
  return fileURLToPath(import.meta.resolve(`@orders/${name}/server`))
}

// Emulators and services for the test file that calls it: started before its tests, stopped
// after them.
export function useServicesOnLocalAws(): { readonly local: ServicesOnLocalAws } {
  let local: ServicesOnLocalAws | undefined
  beforeAll(async () => {
    local = await startServicesOnLocalAws()
  })
  afterAll(() => local?.stop())
  return {
    get local() {
      if (!local) throw new Error('the emulators are not started yet (use inside a test)')
      return local
    },
  }
}

// The emulators with a topology and table of this test's own, and the services the test starts
// against them, each given the endpoints, credentials and table; stop() ends the services, then
// the emulators.
export async function startServicesOnLocalAws() {
  const aws = await startLocalAws()
  const queues = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
  const services: ServiceProcess[] = []
  return {
    aws,
    queues,
    async start(name: string, script: string, env: Record<string, string | undefined>) {
      const service = await startService(name, script, {
        ...aws.env,
        ORDERS_TABLE_NAME: queues.tableName,
        ...env,
      })
      services.push(service)
      return service
    },
    async stop() {
      await Promise.all(services.map((service) => service.stop()))
      await aws.stop()
    },
  }
}

// One order of one item, posted to the receiver; the answer's status and JSON body.
export async function postOrder(receiverUrl: string, orderId: string, path = '/orders/async') {
  const res = await fetch(`${receiverUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      order_id: orderId,
      customer_id: 9,
      items: [{ product_id: 'SKU-001', quantity: 3, price: 2.5 }],
    }),
  })
  const body: unknown = await res.json().catch(() => undefined)
  return { status: res.status, body }
}
