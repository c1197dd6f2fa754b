// Cold start of the Lambda bundle: a fresh Node process imports it and handles one SNS record;
// the time is taken inside that process, from its start (performance.timeOrigin) to the handler
// settling. The payment wait is set to 0 ms so only start-up and the order code path are timed.
// Baselines from the same run: an empty Node process, and the unbundled TypeScript source.
// Run with `npm run bench:lambda`. This is a laptop-class machine, not Lambda: at 128 MB Lambda
// gives the sandbox a fraction of a vCPU, so compare the ratios rather than the milliseconds.
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { newOrder } from '@orders/order/order'
import { buildLambda } from '../src/lambda-build.ts'
import { invokeInFreshProcess, snsEvent } from './lambda-invoke.ts'

const RUNS = 15
const env = { PROCESSING_TIME_MS: '0', LOG_LEVEL: 'info' }
const order = newOrder({
  order_id: randomUUID(),
  customer_id: 1,
  items: [{ product_id: 'A', quantity: 1, price: 1 }],
})
const event = snsEvent([JSON.stringify(order)])

const bundle = await buildLambda()
const source = fileURLToPath(new URL('../src/lambda.ts', import.meta.url))
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
  { name: 'unbundled source (src/lambda.ts)', module: source, options: [] },
]

const results = new Map<string, { ms: number[]; rss: number[] }>()
for (const v of variants) results.set(v.name, { ms: [], rss: [] })
// Interleaved, so a busy moment on the shared machine hits every variant alike.
for (let run = 0; run < RUNS; run += 1) {
  for (const v of variants) {
    const r = await invokeInFreshProcess(v.module, event, env, v.options)
    if (r.error) throw new Error(`${v.name}: ${r.error.message}`)
    results.get(v.name)?.ms.push(r.firstRecordMs)
    results.get(v.name)?.rss.push(r.rssBytes)
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}
const base = median(results.get(variants[0]?.name ?? '')?.ms ?? [])
console.log(
  `Lambda cold start: process start -> first SNS record handled (${RUNS} fresh processes each, Node ${process.version})`,
)
console.log(
  `bundle ${(bundle.bytes / 1024).toFixed(1)} KiB, source map ${(bundle.mapBytes / 1024).toFixed(1)} KiB\n`,
)
console.log(
  `${'variant'.padEnd(46)} ${'median'.padStart(8)} ${'min'.padStart(8)} ${'max'.padStart(8)} ${'vs empty'.padStart(9)} ${'RSS'.padStart(7)}`,
)
for (const [name, { ms, rss }] of results) {
  const m = median(ms)
  console.log(
    `${name.padEnd(46)} ${`${m.toFixed(1)} ms`.padStart(8)} ${`${Math.min(...ms).toFixed(1)}`.padStart(8)} ${`${Math.max(...ms).toFixed(1)}`.padStart(8)} ${`${(m / base).toFixed(2)}x`.padStart(9)} ${`${(median(rss) / 2 ** 20).toFixed(0)} MB`.padStart(7)}`,
  )
}
