import type { ClientCompletion } from './client-completion.ts'
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
  follow?: ClientCompletion
}

// The shape of Locust's closing statistics, so numbers read the same as a Locust run's.
export function resultTable(input: TableInput): string {
  const { name, totals, seconds, drain, completion, follow } = input
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
  if (follow) lines.push(latencyRow('  completed (client)', follow.completed, follow))
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
  if (follow) lines.push('', ...followLines(follow))
  return lines.join('\n')
}

// Under the request row, in its latency columns: accepted (202) versus completed by the processor.
function completionRow(c: CompletionLatency): string {
  if (!c.available) return `${'  completed (e2e)'.padEnd(22)} not available: ${c.reason}`
  return latencyRow('  completed (e2e)', c.orders, c)
}

type Quantiles = { p50: number | null; p95: number | null; p99: number | null }

function latencyRow(name: string, orders: number | null, q: Quantiles): string {
  return [
    name.padEnd(22),
    String(orders ?? '-').padStart(8),
    ''.padStart(13),
    ...[q.p50, q.p95, q.p99].map((value) => num(value).padStart(8)),
  ].join(' ')
}

// Why the two completed rows differ, for whoever compares them.
export const FOLLOW_NOTE = [
  'The client reads completed only at its next poll, so its time runs up to one',
  "Retry-After interval above the processor's, plus the 202's round trip.",
]

function followLines(f: ClientCompletion) {
  return [
    `Followed at their Location: ${f.orders} orders  completed ${f.completed}  failed ${f.failed}` +
      `  not terminal at the deadline ${f.notTerminal}`,
    `  ${f.pollsPerOrder ?? '-'} polls per order (${f.polls} GET, not in # reqs` +
      `${f.pollErrors > 0 ? `; ${f.pollErrors} read no status` : ''})`,
    ...FOLLOW_NOTE.map((line) => `  ${line}`),
  ]
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
