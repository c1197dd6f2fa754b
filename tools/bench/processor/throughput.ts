// The processor benchmark (npm run bench:processor): orders/s against the ideal N ÷ T, SQS and
// DynamoDB requests per order and peak RSS, for the current pool and, in the same run, the pool it
// replaced, beside the table emulator's own ceiling; then a 20 s SQS outage. `-- --only <text>` runs the rows whose label contains it
// (`--only outage` the outage alone), `-- --no-outage` skips the outage.
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { bundleServers } from './bundles.ts'
import { conditionalWriteCeiling } from './ceiling.ts'
import { startCountingEmulator } from './emulator.ts'
import { runOutage } from './outage.ts'
import { measure, type Scenario } from './scenario.ts'

const bundles = await bundleServers({
  current: fileURLToPath(import.meta.resolve('@orders/processor/server')),
  baseline: fileURLToPath(new URL('./baseline-server.ts', import.meta.url)),
  memory: fileURLToPath(new URL('./memory-store-server.ts', import.meta.url)),
  squiss: fileURLToPath(new URL('./squiss-server.ts', import.meta.url)),
})
const { current, baseline, memory, squiss } = bundles.files
const { values } = parseArgs({
  options: { only: { type: 'string' }, 'no-outage': { type: 'boolean' } },
})

const uniform = { timeMs: 1000, jitterMs: 0 }
const jitter = { timeMs: 150, jitterMs: 100 }
// A payment that varies, as real ones do: orders that start together do not stay in step.
const varied = { timeMs: 1000, jitterMs: 100 }
const scenarios: Scenario[] = [
  { design: 'current', server: current, concurrency: 1, ...uniform },
  { design: 'current', server: current, concurrency: 10, ...uniform },
  { design: 'baseline', server: baseline, concurrency: 10, ...uniform },
  { design: 'current', server: current, concurrency: 100, ...uniform },
  { design: 'baseline', server: baseline, concurrency: 100, ...uniform },
  { design: 'current', server: current, concurrency: 1000, ...uniform },
  // The pool alone: the same worker with its store in memory instead of the table.
  { design: 'no table', server: memory, concurrency: 100, ...uniform },
  { design: 'squiss', server: squiss, concurrency: 100, ...uniform },
  { design: 'no table', server: memory, concurrency: 1000, ...uniform },
  { design: 'squiss', server: squiss, concurrency: 1000, ...uniform },
  { design: 'no table', server: memory, concurrency: 1000, ...varied },
  { design: 'squiss', server: squiss, concurrency: 1000, ...varied },
  { design: 'current', server: current, concurrency: 10, ...jitter },
  { design: 'baseline', server: baseline, concurrency: 10, ...jitter },
  { design: 'current', server: current, concurrency: 100, ...jitter },
  { design: 'baseline', server: baseline, concurrency: 100, ...jitter },
]

const label = (s: Scenario) =>
  `${s.design.padEnd(8)} N=${String(s.concurrency).padEnd(5)} ${s.jitterMs ? `T=${s.timeMs - s.jitterMs}–${s.timeMs + s.jitterMs} ms` : `T=${s.timeMs} ms`}`

console.log(`Processor benchmark, ${new Date().toISOString()}, ${cpus().length} cores, Node ${process.version}
Method: fauxqs in this process and dynalite in a child process of its own, on 127.0.0.1, counting every SQS and DynamoDB request
they receive by action (X-Amz-Target). For each row a fresh queue and orders table; the queue is
pre-filled with 20 × N orders (SNS envelopes, no records: the processor's claim creates them),
then the processor starts as its own child process, bundled into one module as the processor image
bundles the worker (processor/build/worker.ts), from the row's server (current: processor/src/worker/server.ts;
baseline: one consumer per slot, tools/bench/processor/baseline-server.ts; no table: the current worker
with its store in its own memory, tools/bench/processor/memory-store-server.ts; squiss: squiss-ts 5.x,
the peer, running the same order core with the same store in memory, hosted as the worker is,
squiss-server.ts) with
PROCESSOR_CONCURRENCY=N and the simulated payment T (PROCESSING_TIME_MS, ±PROCESSING_JITTER_MS uniform). Throughput: orders/s
between the 10th and 90th percentile "order completed" log time; ideal: N ÷ mean T. SQS requests
per order: every request from start to the last completion ÷ orders; DynamoDB requests per order
likewise, GetItem being the only read. The ceiling: conditional UpdateItems (the processor's claim)
per second from 100 callers in one client process of its own (as the processor is), alone, for
5 s, sent as plain HTTP with the SDK's own bytes (dynalite's ceiling) and then through the SDK;
at 2 writes per order dynalite's allows ceiling ÷ 2 orders/s, the "÷ ceiling" column. Peak RSS: VmHWM from
/proc/<pid>/status of the processor process at the end; CPU/order: its user + system time
(/proc/<pid>/stat) ÷ orders, which shows the cost even when other work shares the machine.
claim/complete: the mean time of the processor's claim and complete requests from its own
orders_store_request_duration_seconds, read at the end: what the table added to every order.
`)
const emulator = await startCountingEmulator()
const ceiling = await conditionalWriteCeiling(emulator, 'raw')
const sdkCeiling = await conditionalWriteCeiling(emulator, 'sdk')
console.log(
  `dynalite's own ceiling: ${ceiling.toFixed(0)} conditional writes/s, so at most ${(ceiling / 2).toFixed(0)} orders/s at 2 writes per order
one client process through the AWS SDK: ${sdkCeiling.toFixed(0)} conditional writes/s (the SDK's CPU, not the table, bounds it)\n`,
)
console.log(
  `${'design   N       payment'.padEnd(36)} ${'orders/s'.padStart(9)} ${'÷ N/T'.padStart(6)} ${'÷ ceiling'.padStart(9)} ${'SQS/order'.padStart(9)} ${'DDB/order'.padStart(9)} ${'reads'.padStart(5)} ${'peak RSS'.padStart(9)} ${'CPU/order'.padStart(9)} ${'claim/complete'.padStart(15)}  requests by action`,
)
try {
  for (const scenario of scenarios) {
    const name = label(scenario)
    if (values.only && !name.includes(values.only)) continue
    const m = await measure(emulator, scenario)
    const actions = Object.entries({ ...m.counts, ...m.dynamodbCounts })
      .map(([action, n]) => `${action} ${n}`)
      .join(', ')
    const ofCeiling = m.ordersPerSecond / (ceiling / 2)
    console.log(
      `${name.padEnd(36)} ${m.ordersPerSecond.toFixed(1).padStart(9)} ${m.ofIdeal.toFixed(3).padStart(6)} ${ofCeiling.toFixed(3).padStart(9)} ${m.sqsPerOrder.toFixed(3).padStart(9)} ${m.dynamodbPerOrder.toFixed(3).padStart(9)} ${String(m.dynamodbCounts.GetItem ?? 0).padStart(5)} ${`${m.peakRssMb.toFixed(0)} MB`.padStart(9)} ${`${m.cpuMsPerOrder.toFixed(2)} ms`.padStart(9)} ${storeMs(m).padStart(15)}  ${actions}`,
    )
  }
  if (!values['no-outage'] && (!values.only || 'outage'.includes(values.only))) {
    await runOutage(emulator, current)
  }
} finally {
  await emulator.stop()
  bundles.remove()
}

function storeMs({ claimMs, completeMs }: { claimMs: number | null; completeMs: number | null }) {
  if (claimMs === null || completeMs === null) return '-'
  return `${claimMs.toFixed(1)}/${completeMs.toFixed(1)} ms`
}
