// `npm run bench:receiver`: what batching the SNS publishes buys the receiver, and what the
// orders table costs it. Each run starts the receiver (bench/server.ts) and the clients
// (bench/clients.ts) as separate processes; the emulators run in this one, and the table's own
// ceiling is measured by bench/ceiling.ts. Prints the method, a table and the targets.
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
type Counts = {
  snsRequests: number
  dynamodbRequests: number
  batchedOrders: number
  batches: number
  serverCpuMs: number
}
// emulatorCpuMs is null when two runs shared the emulator.
type Run = Load &
  Counts & { name: string; group: string; clients: number; emulatorCpuMs: number | null }
type Setup = {
  name: string
  // Which rows a target compares: runs of one group differ only by round.
  group: string
  publisher: 'noop' | 'sns'
  lingerMs: number
  clients: number
  store?: 'dynamodb' | 'none'
}

const aws = await startLocalAws()
const { topicArn, tableName } = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))

function message<T>(child: ChildProcess): Promise<T> {
  return once(child, 'message').then(([value]) => value as T)
}

const env = {
  PATH: process.env.PATH,
  ...aws.env,
  ORDERS_TOPIC_ARN: topicArn,
  ORDERS_TABLE_NAME: tableName,
}

async function measure(setup: Setup): Promise<Run> {
  const { name, group, publisher, lingerMs, clients, store = 'none' } = setup
  const server = fork(script('server.ts'), [], {
    env: {
      ...env,
      BENCH_PUBLISHER: publisher,
      PUBLISH_LINGER_MS: String(lingerMs),
      BENCH_STORE: store,
    },
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
    return {
      name,
      group,
      clients,
      ...result,
      ...counts,
      emulatorCpuMs: (user + system) / 1000,
    }
  } finally {
    server.kill()
  }
}

// The rate of the receiver's conditional PutItem on dynalite, CLIENTS in flight, from a process of
// its own as the receiver's client would be: through the SDK ('sdk'), or its bytes over plain
// HTTP ('raw', dynalite's own ceiling).
async function ceiling(kind: 'sdk' | 'raw'): Promise<number> {
  const child = fork(script('ceiling.ts'), [], {
    env: {
      ...env,
      BENCH_CEILING: kind,
      BENCH_CLIENTS: String(CLIENTS),
      BENCH_WARMUP_MS: String(WARMUP_MS),
      BENCH_DURATION_MS: String(DURATION_MS),
    },
  })
  const { writesPerS } = await message<{ writesPerS: number }>(child)
  await once(child, 'exit')
  return writesPerS
}

// Side by side at the same time, so both feel the same neighbours: the difference is the setting.
async function pair(a: Setup, b: Setup) {
  const both = await Promise.all([measure(a), measure(b)])
  return both.map((run) => ({ ...run, emulatorCpuMs: null }))
}

const sns = (name: string, group: string, lingerMs: number, clients: number): Setup => ({
  name,
  group,
  publisher: 'sns',
  lingerMs,
  clients,
})
const withTable = (setup: Setup): Setup => ({ ...setup, store: 'dynamodb' })

const runs: Run[] = []
const ceilings: number[] = []
const sdkCeilings: number[] = []
try {
  console.log(method())
  // Interleaved, so a neighbour's burst on the shared cores hits both sides of a ratio alike.
  for (const round of [1, 2, 3]) {
    const noop = { publisher: 'noop' as const, lingerMs: 0, clients: CLIENTS }
    runs.push(await measure({ ...noop, name: `no-op publisher (${round})`, group: 'noop' }))
    runs.push(await measure(sns(`SNS, PUBLISH_LINGER_MS=2 (${round})`, 'sns', 2, CLIENTS)))
    runs.push(
      await measure(withTable(sns(`SNS + table, LINGER=2 (${round})`, 'table', 2, CLIENTS))),
    )
    ceilings.push(await ceiling('raw'))
    sdkCeilings.push(await ceiling('sdk'))
  }
  runs.push(await measure(sns('SNS, PUBLISH_LINGER_MS=0', 'linger-0', 0, CLIENTS)))
  for (const round of [1, 2, 3]) {
    runs.push(
      ...(await pair(
        sns(`SNS, PUBLISH_LINGER_MS=2 (${round})`, 'pair-linger-2', 2, 1),
        sns(`SNS, PUBLISH_LINGER_MS=0 (${round})`, 'pair-linger-0', 0, 1),
      )),
    )
  }
  for (const round of [1, 2, 3]) {
    runs.push(
      ...(await pair(
        withTable(sns(`SNS + table, LINGER=2 (${round})`, 'pair-table', 2, 1)),
        sns(`SNS, no table, LINGER=2 (${round})`, 'pair-no-table', 2, 1),
      )),
    )
  }
  console.log(table(runs))
  console.log(
    `dynalite conditional PutItem, ${CLIENTS} in flight, writes/s by round: ${ceilings.map((c) => c.toFixed(0)).join(', ')} (plain HTTP, dynalite's own ceiling); ${sdkCeilings.map((c) => c.toFixed(0)).join(', ')} (through the SDK, one process)\n`,
  )
  console.log(targets(runs, ceilings, sdkCeilings))
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
    '"SNS + table" rows record every order in the orders table on dynalite (in the bench process, as',
    'fauxqs), STORE_TIMEOUT_MS 1000; the other rows stand in a record that answers "new" at once.',
    'DynamoDB requests are counted like the SNS ones. The table adds the median p50 difference of',
    'paired 1-client rounds, with and without it. Its ceiling: a separate process sending the same',
    `conditional PutItem with ${CLIENTS} in flight, one round after each table round, as the SDK's bytes`,
    'over plain HTTP (dynalite checks no signature: its own ceiling) and then through the SDK; the',
    "50-client ratio divides the table rows' median by the lower of the no-table SNS median and the",
    'plain-HTTP ceiling median.',
    '',
  ].join('\n')
}

function table(rows: Run[]) {
  const header = `${'run'.padEnd(32)}${'clients'.padStart(8)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'SNS req/order'.padStart(15)}${'DDB req/order'.padStart(15)}${'orders/batch'.padStart(14)}${'CPU µs/order srv/cli/emu'.padStart(27)}  non-202`
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
      (accepted === 0 ? '-' : (r.dynamodbRequests / accepted).toFixed(3)).padStart(15) +
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

function targets(rows: Run[], ceilings: number[], sdkCeilings: number[]) {
  const group = (name: string) => rows.filter((r) => r.group === name)
  const accepted = (r: Run) => r.statuses['202'] ?? 1
  const ceiling = median(group('noop').map((r) => r.reqPerS))
  const batched = group('sns')
  const ratio = median(batched.map((r) => r.reqPerS)) / ceiling
  const perOrder = Math.max(...batched.map((r) => r.snsRequests / accepted(r)))
  const slowest = Math.min(...batched.map((r) => r.reqPerS))
  // Each round's two runs ran side by side; the median of the rounds' differences.
  const added = (a: string, b: string) => {
    const without = group(b)
    return median(group(a).map((r, i) => (r.p50 ?? 0) - (without[i]?.p50 ?? 0)))
  }
  const linger = added('pair-linger-2', 'pair-linger-0')
  const tabled = [...group('table'), ...group('pair-table')]
  const ddbPerOrder = Math.max(...tabled.map((r) => r.dynamodbRequests / accepted(r)))
  const storeAdded = added('pair-table', 'pair-no-table')
  const withoutTable = median(batched.map((r) => r.reqPerS))
  const tableCeiling = median(ceilings)
  const tableRate = median(group('table').map((r) => r.reqPerS))
  const tableRatio = tableRate / Math.min(withoutTable, tableCeiling)
  const sdkCeiling = median(sdkCeilings)
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
  return [
    `async with SNS ÷ no-op ceiling (medians): ${ratio.toFixed(2)}  (target ≥ 0.6: ${verdict(ratio >= 0.6)})`,
    `SNS requests per accepted order, worst run, at ≥ ${slowest.toFixed(0)} orders/s: ${perOrder.toFixed(3)}  (target ≤ 0.2 at ≥ 200/s: ${verdict(perOrder <= 0.2 && slowest >= 200)})`,
    `p50 added by the 2 ms linger, 1 client, median of 3 paired rounds: ${linger.toFixed(2)} ms  (target ≤ 3 ms: ${verdict(linger <= 3)})`,
    `DynamoDB requests per accepted order, worst table run: ${ddbPerOrder.toFixed(3)}  (target 1: ${verdict(ddbPerOrder <= 1)})`,
    `p50 added by the table, 1 client, median of 3 paired rounds: ${storeAdded.toFixed(2)} ms  (target ≤ 2 ms: ${verdict(storeAdded <= 2)})`,
    `accepted orders/s with the table at ${CLIENTS} clients ÷ min(without it ${withoutTable.toFixed(0)}/s, dynalite's conditional-write ceiling ${tableCeiling.toFixed(0)}/s) (medians): ${tableRatio.toFixed(2)}  (target ≥ 0.8: ${verdict(tableRatio >= 0.8)})`,
    `  the same orders/s ÷ one process writing through the SDK (${sdkCeiling.toFixed(0)}/s): ${(tableRate / sdkCeiling).toFixed(2)}, which shows how much of the gap is the SDK's CPU`,
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
