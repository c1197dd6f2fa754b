// The load for the receiver bench, in a process of its own so it never shares the server's event
// loop: BENCH_CLIENTS keep-alive clients, each POSTing an order and sending the next one as soon
// as the answer has arrived. Latency is recorded after BENCH_WARMUP_MS, for BENCH_DURATION_MS.
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

const url = new URL('/orders/async', process.env.BENCH_URL)
const clients = Number(process.env.BENCH_CLIENTS)
const warmupMs = Number(process.env.BENCH_WARMUP_MS)
const durationMs = Number(process.env.BENCH_DURATION_MS)

const agent = new Agent({ keepAlive: true, maxSockets: clients })
const latencies: number[] = []
const statuses: Record<string, number> = {}
let sent = 0
let completed = 0

function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const cpuAtStart = process.cpuUsage()
const started = performance.now()
const measureFrom = started + warmupMs
const end = measureFrom + durationMs

async function client(id: number) {
  while (performance.now() < end) {
    sent += 1
    const body = JSON.stringify({
      order_id: `bench-${process.pid}-${id}-${sent}`,
      customer_id: 1 + id,
      items: [{ product_id: 'SKU-001', quantity: 1, price: 19.99 }],
    })
    const t0 = performance.now()
    const status = await post(body).catch(() => 0)
    const t1 = performance.now()
    statuses[status] = (statuses[status] ?? 0) + 1
    if (t1 >= measureFrom && t1 < end) completed += 1
    if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0)
  }
}

await Promise.all(Array.from({ length: clients }, (_, id) => client(id)))
agent.destroy()
latencies.sort((a, b) => a - b)
const at = (p: number) => latencies[Math.max(0, Math.ceil(p * latencies.length) - 1)] ?? null
process.send?.({
  reqPerS: completed / (durationMs / 1000),
  p50: at(0.5),
  p99: at(0.99),
  statuses,
  clientCpuMs: cpuMs(process.cpuUsage(cpuAtStart)),
})

function cpuMs({ user, system }: NodeJS.CpuUsage) {
  return (user + system) / 1000
}
