import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { DrainResult } from './drain.ts'
import { renderReport } from './html.ts'
import type { QueueSample } from './monitor.ts'
import type { RequestTotals, Sample } from './stats.ts'
import { buildTimeline } from './timeline.ts'

export type Summary = {
  scenario: string
  description: string
  startedAt: string
  host: string
  path: string
  mode: 'closed' | 'open'
  settings: Record<string, number | boolean>
  queueEndpoint: string | null
  processor: string | null
  // Seconds since the run started (the clock of every chart), and the length of the load, from
  // the first request sent to the last answer received.
  loadStartS: number
  loadEndS: number
  loadSeconds: number
  totals: RequestTotals
  queueDepth: { available: boolean; error: string | null }
  processorMetrics: { available: boolean; error: string | null }
  drain: DrainResult | null
  files: { samples: string; queue: string; html: string }
}

export const files = { samples: 'samples.jsonl', queue: 'queue.jsonl', html: 'report.html' }

export function reportDir(out: string, scenario: string, startedAt: Date): string {
  const stamp = startedAt
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replaceAll(':', '-')
  return join(out, `${stamp}-${scenario}`)
}

export async function writeReport(
  dir: string,
  summary: Summary,
  samples: readonly Sample[],
  queue: readonly QueueSample[],
): Promise<void> {
  await mkdir(dir, { recursive: true })
  const timeline = buildTimeline(samples, queue, summary.loadEndS)
  await Promise.all([
    writeFile(join(dir, files.samples), jsonLines(samples)),
    writeFile(join(dir, files.queue), jsonLines(queue)),
    writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`),
    writeFile(join(dir, files.html), renderReport({ summary, timeline }, await chartJs())),
  ])
}

function jsonLines(rows: readonly object[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('')
}

// chart.js does not export its UMD build, so it is found next to the entry point it does export.
export async function chartJs(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('chart.js')
  return readFile(join(dirname(entry), 'chart.umd.js'), 'utf8')
}
