// `npm run bench:overload`: a flood of sync orders on the real receiver process, with clients
// that give up after a timeout as real ones do. Prints the method, then per run what was served,
// shed and paid, and for whom. BENCH_FLOOD changes the number of orders (400).
import { request } from 'node:http'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { startProcess } from '@orders/stack/children'
import { startLocalAws } from '@orders/stack/emulator'
import { freePort } from '@orders/stack/ports'

const FLOOD = Number(process.env.BENCH_FLOOD ?? 400)
const SYNC_CONCURRENCY = 20
const PROCESSING_TIME_MS = 3000
const server = fileURLToPath(import.meta.resolve('@orders/receiver/server'))

type Scenario = { name: string; queueLimit: string | undefined; clientTimeoutMs: number }
type Sent = { status: number | 'gave up'; ms: number }

const scenarios: Scenario[] = [
  { name: 'default (limit = concurrency)', queueLimit: undefined, clientTimeoutMs: 5000 },
  { name: 'SYNC_QUEUE_LIMIT=0', queueLimit: '0', clientTimeoutMs: 5000 },
  { name: 'queue holds the flood', queueLimit: String(FLOOD), clientTimeoutMs: 5000 },
  { name: 'default, patient clients', queueLimit: undefined, clientTimeoutMs: 10_000 },
]

// One order on a connection of its own; at the timeout the client closes it and leaves.
function post(base: string, id: string, timeoutMs: number): Promise<Sent> {
  const body = JSON.stringify({
    order_id: id,
    customer_id: 1,
    items: [{ product_id: 'SKU-001', quantity: 1, price: 19.99 }],
  })
  const t0 = performance.now()
  return new Promise((resolve) => {
    const req = request(`${base}/orders/sync`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    })
    const timer = setTimeout(() => {
      req.destroy()
      resolve({ status: 'gave up', ms: performance.now() - t0 })
    }, timeoutMs)
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => {
        clearTimeout(timer)
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 })
      })
    })
    req.on('error', () => {})
    req.end(body)
  })
}

async function scrape(metricsPort: number) {
  const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text())
  const read = (series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `))
    return Number(line?.split(' ')[1] ?? 0)
  }
  return {
    paid: read('orders_accepted_total{mode="sync"}'),
    shed: read('orders_rejected_total{reason="overloaded"}'),
    leftWaiting: read('sync_orders_abandoned_total{stage="waiting"}'),
    leftPaying: read('sync_orders_abandoned_total{stage="paying"}'),
    busy: read('sync_orders_in_flight') + read('sync_orders_waiting'),
  }
}

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean) {
  for (let tries = 0; tries < 300; tries += 1) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined && done(value)) return value
    await sleep(100)
  }
  throw new Error(`gave up waiting for ${what}`)
}

// Each order is recorded in the orders table on dynalite, in this process; SNS is never asked.
const aws = await startLocalAws()
const { tableName } = await aws.provision()

async function measure({ name, queueLimit, clientTimeoutMs }: Scenario, run: number) {
  const [port, metricsPort] = [await freePort(), await freePort()]
  const base = `http://127.0.0.1:${port}`
  const output: string[] = []
  const child = startProcess(
    'receiver',
    server,
    {
      PATH: process.env.PATH,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      ...aws.env,
      ORDERS_TABLE_NAME: tableName,
      // Never contacted: the flood is all sync.
      ORDERS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:orders',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      SYNC_CONCURRENCY: String(SYNC_CONCURRENCY),
      PROCESSING_TIME_MS: String(PROCESSING_TIME_MS),
      ...(queueLimit === undefined ? {} : { SYNC_QUEUE_LIMIT: queueLimit }),
      LOG_LEVEL: 'warn',
    },
    (line) => output.push(line),
  )
  try {
    await until(
      'the receiver',
      () => fetch(`${base}/health`),
      (res) => res.ok,
    )
    const sent = await Promise.all(
      // Ids of this run's own: another run's would be retries of orders already paid.
      Array.from({ length: FLOOD }, (_, i) => post(base, `flood-${run}-${i}`, clientTimeoutMs)),
    )
    // Every payment that started has finished, so its order is counted.
    const counts = await until(
      'the payments',
      () => scrape(metricsPort),
      (m) => m.busy === 0,
    )
    return {
      name,
      queueLimit: queueLimit ?? String(SYNC_CONCURRENCY),
      clientTimeoutMs,
      sent,
      counts,
    }
  } catch (err) {
    console.error(output.join('\n'))
    throw err
  } finally {
    child.process.kill('SIGKILL')
  }
}

function p99(values: number[]) {
  const sorted = values.toSorted((a, b) => a - b)
  const value = sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)]
  return value === undefined ? '-' : value.toFixed(0)
}

console.log(
  [
    `Overload bench, ${new Date().toISOString()}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
    `Method: ${FLOOD} POST /orders/sync sent at once, each on a connection of its own, to the real`,
    `receiver process (receiver/src/server.ts, SYNC_CONCURRENCY=${SYNC_CONCURRENCY}, PROCESSING_TIME_MS=${PROCESSING_TIME_MS},`,
    'LOG_LEVEL=warn), a fresh one per run, recording each order in the orders table on dynalite (in',
    'this process) before paying it. A client that has no answer at its timeout closes its',
    'connection and leaves. Once every payment has finished, the receiver\'s /metrics gives "paid"',
    '(orders_accepted_total{mode="sync"}), the clients that left while queued and so were never paid,',
    'and those that left during their payment (sync_orders_abandoned_total{stage}). "Paid, client',
    'gone": payments whose answer nobody received, split into those whose client left during the',
    'payment and those started after it had left (target 0). p99: latency of the 200s, and of the',
    '503s, as the clients saw it.',
    '',
  ].join('\n'),
)
const header = `${'run'.padEnd(30)}${'queue'.padStart(6)}${'client s'.padStart(9)}${'200'.padStart(6)}${'503'.padStart(6)}${'gave up'.padStart(8)}${'paid'.padStart(6)}${'paid, gone: mid/after'.padStart(23)}${'never paid'.padStart(11)}${'p99 200 ms'.padStart(11)}${'p99 503 ms'.padStart(11)}`
console.log(header)
console.log('-'.repeat(header.length))
for (const [run, scenario] of scenarios.entries()) {
  const { name, queueLimit, clientTimeoutMs, sent, counts } = await measure(scenario, run)
  const served = sent.filter((s) => s.status === 200)
  const shed = sent.filter((s) => s.status === 503)
  const gaveUp = sent.filter((s) => s.status === 'gave up').length
  const afterLeaving = counts.paid - served.length - counts.leftPaying
  console.log(
    name.padEnd(30) +
      queueLimit.padStart(6) +
      String(clientTimeoutMs / 1000).padStart(9) +
      String(served.length).padStart(6) +
      String(shed.length).padStart(6) +
      String(gaveUp).padStart(8) +
      String(counts.paid).padStart(6) +
      `${counts.leftPaying}/${afterLeaving}`.padStart(23) +
      String(counts.leftWaiting).padStart(11) +
      p99(served.map((s) => s.ms)).padStart(11) +
      p99(shed.map((s) => s.ms)).padStart(11),
  )
  if (shed.length !== counts.shed) console.log(`  (the receiver counted ${counts.shed} shed)`)
}
await aws.stop()
