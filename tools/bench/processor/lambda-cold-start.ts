// Cold start of the Lambda bundle: a fresh Node process imports it and handles one SNS record;
// the time is taken inside that process, from its start (performance.timeOrigin) to the handler
// settling. The payment wait is set to 0 ms so only start-up and the order code path are timed.
// Baselines from the same run: an empty Node process, and the unbundled TypeScript source.
// Each invocation claims and completes its own new order in an orders table on dynalite, in this
// process, as the function does on DynamoDB.
// Run with `npm run bench:lambda`. This is a laptop-class machine, not Lambda: at 128 MB Lambda
// gives the sandbox a fraction of a vCPU, so compare the ratios rather than the milliseconds.
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { newOrder } from '@orders/order/order'
import { buildLambda } from '@orders/processor/lambda-build'
import { invokeInFreshProcess, snsEvent } from '@orders/processor/lambda-invoke'
import { startLocalAws } from '@orders/stack/emulator'
import { namespacedTopology } from '@orders/stack/topology'

const RUNS = 15
const aws = await startLocalAws()
const { tableName } = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
const env = {
  ...aws.env,
  ORDERS_TABLE_NAME: tableName,
  PROCESSING_TIME_MS: '0',
  LOG_LEVEL: 'info',
}
const event = () =>
  snsEvent([
    JSON.stringify(
      newOrder({
        order_id: randomUUID(),
        customer_id: 1,
        items: [{ product_id: 'A', quantity: 1, price: 1 }],
      }),
    ),
  ])

const bundle = await buildLambda()
const source = fileURLToPath(import.meta.resolve('@orders/processor/lambda-entry'))
const empty = join(tmpdir(), `empty-handler-${randomUUID()}.mjs`)
writeFileSync(empty, 'export const handler = async () => {}\n')

const variants = [
  { name: 'empty handler (Node start-up alone)', module: empty, options: [] },
  { name: 'bundle (index.mjs)', module: bundle.file, options: [] },
  {
    name: 'bundle + --enable-source-maps (as deployed)',
    module: bundle.file,
    options: ['--enable-source-maps'],
  },
  { name: 'unbundled source (src/lambda/entry.ts)', module: source, options: [] },
]

const results = new Map<string, { ms: number[]; rss: number[] }>()
for (const v of variants) results.set(v.name, { ms: [], rss: [] })
// Interleaved, so a busy moment on the shared machine hits every variant alike.
for (let run = 0; run < RUNS; run += 1) {
  for (const v of variants) {
    const r = await invokeInFreshProcess(v.module, event(), env, v.options)
    if (r.error) throw new Error(`${v.name}: ${r.error.message}`)
    results.get(v.name)?.ms.push(r.firstRecordMs)
    results.get(v.name)?.rss.push(r.rssBytes)
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const row = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(46) : c.padStart(i === 4 ? 9 : 8))).join(' ')

const base = median(results.get(variants[0]?.name ?? '')?.ms ?? [])
console.log(`Lambda cold start: process start -> first SNS record handled`)
console.log(`${RUNS} fresh processes per variant, interleaved; Node ${process.version}`)
console.log(`bundle ${kib(bundle.bytes)}, source map ${kib(bundle.mapBytes)}`)
// A loaded machine stretches every variant: the min column is the closest to an idle one.
console.log(
  `load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
)
console.log(row(['variant', 'median', 'min', 'max', 'vs empty', 'RSS']))
for (const [name, { ms, rss }] of results) {
  const m = median(ms)
  const [min, max] = [Math.min(...ms), Math.max(...ms)].map((x) => x.toFixed(0))
  const ratio = `${(m / base).toFixed(2)}x`
  const memory = `${(median(rss) / 2 ** 20).toFixed(0)} MB`
  console.log(row([name, `${m.toFixed(0)} ms`, `${min} ms`, `${max} ms`, ratio, memory]))
}
await aws.stop()
