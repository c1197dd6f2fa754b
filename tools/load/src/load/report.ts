import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { renderReport } from './html.ts'
import type { QueueSample } from './monitor.ts'
import type { Sample } from './stats.ts'
import type { Summary } from './summary.ts'
import { buildTimeline } from './timeline.ts'

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
