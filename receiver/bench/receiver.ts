// `npm run bench:receiver`: what batching the SNS publishes buys the receiver. Each run starts the
// receiver (bench/server.ts) and the clients (bench/clients.ts) as separate processes; the
// emulator runs in this one. Prints the method, a table and the targets.
import { type ChildProcess, fork } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startLocalAws } from '@orders/stack/emulator'
import { namespacedTopology } from '@orders/stack/topology'

const CLIENTS = 50
const WARMUP_MS = 1500
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000)
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url))

type Load = {
  reqPerS: number
  p50: number | null
  p99: number | null
  statuses: Record<string, number>
  clientCpuMs: number
}
type Counts = { snsRequests: number; batchedOrders: number; batches: number; serverCpuMs: number }
// emulatorCpuMs is null when two runs shared the emulator.
type Run = Load & Counts & { name: string; clients: number; emulatorCpuMs: number | null }

const aws = await startLocalAws()
const { topicArn } = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))

function message<T>(child: ChildProcess): Promise<T> {
  return once(child, 'message').then(([value]) => value as T)
}

async function measure(
  name: string,
  publisher: 'noop' | 'sns',
  lingerMs: number,
  clients: number,
): Promise<Run> {
  const env = { PATH: process.env.PATH, ...aws.env, ORDERS_TOPIC_ARN: topicArn }
  const server = fork(script('server.ts'), [], {
    env: { ...env, BENCH_PUBLISHER: publisher, PUBLISH_LINGER_MS: String(lingerMs) },
  })
  try {
    const { port } = await message<{ port: number }>(server)
    const emulatorCpu = process.cpuUsage()
    const load = fork(script('clients.ts'), [], {
      env: {
        PATH: process.env.PATH,
        BENCH_URL: `http://127.0.0.1:${port}`,
        BENCH_CLIENTS: String(clients),
        BENCH_WARMUP_MS: String(WARMUP_MS),
        BENCH_DURATION_MS: String(DURATION_MS),
      },
    })
    const result = await message<Load>(load)
    await once(load, 'exit')
    const { user, system } = process.cpuUsage(emulatorCpu)
    server.send('report')
    const counts = await message<Counts>(server)
    return { name, clients, ...result, ...counts, emulatorCpuMs: (user + system) / 1000 }
  } finally {
    server.kill()
  }
}

const runs: Run[] = []
try {
  console.log(method())
  // Interleaved, so a neighbour's burst on the shared cores hits both sides of a ratio alike.
  for (const round of [1, 2, 3]) {
    runs.push(await measure(`no-op publisher (${round})`, 'noop', 0, CLIENTS))
    runs.push(await measure(`SNS, PUBLISH_LINGER_MS=2 (${round})`, 'sns', 2, CLIENTS))
  }
  runs.push(await measure('SNS, PUBLISH_LINGER_MS=0', 'sns', 0, CLIENTS))
  // Side by side at the same time, so both feel the same neighbours: the difference is the linger.
  for (const round of [1, 2, 3]) {
    const pair = await Promise.all([
      measure(`SNS, PUBLISH_LINGER_MS=2 (${round})`, 'sns', 2, 1),
      measure(`SNS, PUBLISH_LINGER_MS=0 (${round})`, 'sns', 0, 1),
    ])
    runs.push(...pair.map((run) => ({ ...run, emulatorCpuMs: null })))
  }
  console.log(table(runs))
  console.log(targets(runs))
} finally {
  await aws.stop()
}

function method() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  return [
    `Receiver bench, ${new Date().toISOString()}, ${cpus().length} × ${cpu}, Node ${process.version}`,
    `Method: POST /orders/async from ${CLIENTS} keep-alive clients (a separate process, each sending`,
    `its next order when the previous answer arrived; 1 client for the latency rows), ${WARMUP_MS} ms`,
    `warm-up then ${DURATION_MS} ms measured. The receiver is the real Express app in its own process,`,
    'logging at warn, publishing to fauxqs in the bench process (topic subscribed by a queue) or with',
    'a no-op publisher. SNS requests are counted by SDK middleware, once per HTTP attempt, over the',
    'whole run, and divided by the 202s of the run. p50/p99: latency seen by the clients. CPU µs per',
    'order: process CPU time over the whole run ÷ the 202s (server, clients, emulator). Ratios use',
    'medians of interleaved rounds. The 1-client rows run in pairs, linger 2 and 0 at the same time',
    'on one emulator, so both meet the same neighbours; the linger adds the median p50 difference.',
    '',
  ].join('\n')
}

function table(rows: Run[]) {
  const header = `${'run'.padEnd(32)}${'clients'.padStart(8)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'SNS req/order'.padStart(15)}${'orders/batch'.padStart(14)}${'CPU µs/order srv/cli/emu'.padStart(27)}  non-202`
  const lines = rows.map((r) => {
    const accepted = r.statuses['202'] ?? 0
    const other = Object.entries(r.statuses).filter(([status]) => status !== '202')
    return (
      r.name.padEnd(32) +
      String(r.clients).padStart(8) +
      r.reqPerS.toFixed(0).padStart(9) +
      ms(r.p50).padStart(9) +
      ms(r.p99).padStart(9) +
      (accepted === 0 ? '-' : (r.snsRequests / accepted).toFixed(3)).padStart(15) +
      (r.batches === 0 ? '-' : (r.batchedOrders / r.batches).toFixed(1)).padStart(14) +
      [r.serverCpuMs, r.clientCpuMs, r.emulatorCpuMs]
        .map((cpuMs) =>
          accepted === 0 || cpuMs === null ? '-' : ((1000 * cpuMs) / accepted).toFixed(0),
        )
        .join('/')
        .padStart(27) +
      `  ${other.length === 0 ? 'none' : other.map(([s, n]) => `${n}×${s}`).join(' ')}`
    )
  })
  return [header, '-'.repeat(header.length), ...lines, ''].join('\n')
}

function targets(rows: Run[]) {
  const pick = (prefix: string, clients: number) =>
    rows.filter((r) => r.name.startsWith(prefix) && r.clients === clients)
  const ceiling = median(pick('no-op', CLIENTS).map((r) => r.reqPerS))
  const batched = pick('SNS, PUBLISH_LINGER_MS=2', CLIENTS)
  const ratio = median(batched.map((r) => r.reqPerS)) / ceiling
  const perOrder = Math.max(...batched.map((r) => r.snsRequests / (r.statuses['202'] ?? 1)))
  const slowest = Math.min(...batched.map((r) => r.reqPerS))
  // Each round's two runs follow each other; the median of the rounds' differences.
  const withLinger = pick('SNS, PUBLISH_LINGER_MS=2', 1)
  const without = pick('SNS, PUBLISH_LINGER_MS=0', 1)
  const added = median(withLinger.map((r, i) => (r.p50 ?? 0) - (without[i]?.p50 ?? 0)))
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
  return [
    `async with SNS ÷ no-op ceiling (medians): ${ratio.toFixed(2)}  (target ≥ 0.6: ${verdict(ratio >= 0.6)})`,
    `SNS requests per accepted order, worst run, at ≥ ${slowest.toFixed(0)} orders/s: ${perOrder.toFixed(3)}  (target ≤ 0.2 at ≥ 200/s: ${verdict(perOrder <= 0.2 && slowest >= 200)})`,
    `p50 added by the 2 ms linger, 1 client, median of 3 paired rounds: ${added.toFixed(2)} ms  (target ≤ 3 ms: ${verdict(added <= 3)})`,
  ].join('\n')
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
}

function ms(value: number | null) {
  return value === null ? '-' : value.toFixed(2)
}
