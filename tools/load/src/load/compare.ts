import { writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { LoadOptions } from './args.ts'
import { reportDir } from './report.ts'
import { type RunDeps, type RunResult, runLoad } from './run.ts'
import { round } from './stats.ts'

export type Comparison = {
  dir: string
  sync: RunResult
  async: RunResult
  throughputRatio: number | null
  medianLatencyRatio: number | null
  text: string
}

// Sync against async, measured: the same users, first on the endpoint that pays
// before answering, then on the one that only queues the order.
export async function runCompare(
  sync: LoadOptions,
  async: LoadOptions,
  deps: RunDeps = {},
): Promise<Comparison> {
  const dir = reportDir(sync.out, 'compare', new Date())
  const note = (text: string) => deps.progress?.write(`${text}\n`)
  note(`compare 1/2: sync, ${describe(sync)}`)
  const syncRun = await runLoad({ ...sync, out: dir }, deps)
  note(`${syncRun.table}\n\ncompare 2/2: async, ${describe(async)}`)
  const asyncRun = await runLoad({ ...async, out: dir }, deps)
  note(asyncRun.table)

  const s = syncRun.summary.totals
  const a = asyncRun.summary.totals
  const throughputRatio = ratio(a.okRps, s.okRps)
  const medianLatencyRatio = ratio(s.latency.median, a.latency.median)
  const row = (name: string, t: typeof s) =>
    `  ${name.padEnd(8)}${String(t.okRps).padStart(12)}${String(t.latency.median ?? '-').padStart(12)}` +
    `${String(t.latency.p95 ?? '-').padStart(10)}${String(t.failures).padStart(10)}`
  const text = [
    `Comparison: ${describe(sync)}`,
    `  ${''.padEnd(8)}${'accepted/s'.padStart(12)}${'median ms'.padStart(12)}${'p95 ms'.padStart(10)}${'failures'.padStart(10)}`,
    row('sync', s),
    row('async', a),
    `  async accepted ${times(throughputRatio)} the orders per second and answered ` +
      `${times(medianLatencyRatio)} faster (median).`,
  ].join('\n')
  const result = {
    throughputRatio,
    medianLatencyRatio,
    sync: relative(dir, syncRun.dir),
    async: relative(dir, asyncRun.dir),
  }
  await writeFile(join(dir, 'compare.json'), `${JSON.stringify(result, null, 2)}\n`)
  return { dir, sync: syncRun, async: asyncRun, throughputRatio, medianLatencyRatio, text }
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : round(a / b, 2)
}

function times(value: number | null) {
  return value === null ? '?' : `${value}x`
}

function describe(o: LoadOptions) {
  return `${o.users} users, spawn ${o.spawnRate}/s, ${o.durationS} s, on ${o.host}`
}
