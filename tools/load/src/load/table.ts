import type { CompletionLatency } from './completion.ts'
import type { DrainResult } from './drain.ts'
import { about } from './progress.ts'
import type { RequestTotals } from './stats.ts'

export type TableInput = {
  name: string
  totals: RequestTotals
  seconds: number
  drain?: DrainResult
  completion?: CompletionLatency
}

// The shape of Locust's closing statistics, so numbers read the same as a Locust run's.
export function resultTable({ name, totals, seconds, drain, completion }: TableInput): string {
  const { latency: l } = totals
  const failRate = totals.requests === 0 ? 0 : (100 * totals.failures) / totals.requests
  const row = [
    name.padEnd(22),
    String(totals.requests).padStart(8),
    `${totals.failures}(${failRate.toFixed(2)}%)`.padStart(13),
    ...[l.median, l.p95, l.p99, l.max].map((value) => num(value).padStart(8)),
    totals.rps.toFixed(1).padStart(8),
    (seconds > 0 ? totals.failures / seconds : 0).toFixed(1).padStart(8),
  ]
  const header = [
    'Name'.padEnd(22),
    '# reqs'.padStart(8),
    '# fails'.padStart(13),
    ...['Med ms', 'p95 ms', 'p99 ms', 'Max ms', 'req/s', 'fails/s'].map((h) => h.padStart(8)),
  ]
  const rule = '-'.repeat(header.join(' ').length)
  const lines = [header.join(' '), rule, row.join(' ')]
  if (completion) lines.push(completionRow(completion))
  lines.push(rule)
  const kinds = Object.entries(totals.failuresByKind)
  if (kinds.length > 0) {
    lines.push(
      '',
      'Failures',
      ...kinds.map(([kind, count]) => `${String(count).padStart(8)}  ${kind}`),
    )
  }
  if (drain) lines.push('', ...drainLines(drain))
  return lines.join('\n')
}

// Under the request row, in its latency columns: accepted (202) versus completed by the processor.
function completionRow(c: CompletionLatency): string {
  const name = '  completed (e2e)'.padEnd(22)
  if (!c.available) return `${name} not available: ${c.reason}`
  return [
    name,
    String(c.orders).padStart(8),
    ''.padStart(13),
    ...[c.p50, c.p95, c.p99].map((value) => num(value).padStart(8)),
  ].join(' ')
}

function drainLines(e: DrainResult) {
  const state = e.drained
    ? `drained ${e.seconds?.toFixed(1)} s after the load stopped`
    : `not drained within ${e.timeoutS} s (${e.remaining ?? '?'} messages left${neededText(e)})`
  return [
    `End to end: ${state}`,
    `  accepted ${e.accepted}  processed ${e.processed ?? '?'}  in DLQ ${e.dlq ?? '?'}` +
      (e.processedFrom ? `  (processed from ${e.processedFrom})` : ''),
    `  accepted = processed + DLQ: ${e.balanced ? 'yes' : 'no'}`,
  ]
}

// How long the drain would have needed, from the processing rate when the wait gave up.
export function neededText({ processingRate, moreS, timeoutS }: DrainResult): string {
  if (processingRate === null) return ''
  if (moreS === null) return `; nothing completed at the end, at ${processingRate.toFixed(1)}/s`
  return (
    `; at ${processingRate.toFixed(1)}/s it needs ${about(moreS)} more, ` +
    `${about(timeoutS + moreS)} in all`
  )
}

function num(value: number | null): string {
  if (value === null) return '-'
  return value >= 100 ? value.toFixed(0) : value.toFixed(1)
}
