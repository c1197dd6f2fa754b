import { chartScript } from './chart-script.ts'
import { reportScript } from './report-script.ts'
import type { Summary } from './summary.ts'
import { FOLLOW_NOTE, neededText } from './table.ts'
import type { Timeline } from './timeline.ts'

export type ReportData = { summary: Summary; timeline: Timeline }

// One file with everything inlined, chart.js included: it opens from disk, from a CI artefact or
// an e-mail attachment, with no network.
export function renderReport(data: ReportData, chartJs: string): string {
  const { summary: s } = data
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Load test: ${esc(s.scenario)} — ${esc(s.startedAt)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 24px 32px; color: #111827; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
  .muted { color: #6b7280; } .bad { color: #b91c1c; } .good { color: #047857; }
  table { border-collapse: collapse; } td, th { padding: 4px 12px; border-bottom: 1px solid #e5e7eb; }
  th { text-align: left; font-weight: 600; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
  .chart { position: relative; height: 300px; border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px; }
</style>
</head>
<body>
<h1>Load test: ${esc(s.scenario)}</h1>
<div class="muted">${esc(s.description)}<br>POST ${esc(s.host)}${esc(s.path)} · started ${esc(s.startedAt)} · ${settingsText(s)}</div>
<h2>Requests</h2>
${requestsTable(s)}
${failuresTable(s)}
<h2>End to end</h2>
${endToEnd(s)}
${followed(s)}
<div class="grid">
  <div class="chart"><canvas id="throughput"></canvas></div>
  <div class="chart"><canvas id="latency"></canvas></div>
  <div class="chart"><canvas id="queue"></canvas></div>
  <div class="chart"><canvas id="processed"></canvas></div>
</div>
<p class="muted">Raw data next to this file: ${esc(s.files.samples)} (one line per request),
${esc(s.files.queue)} (one line per queue reading), summary.json.</p>
<script>${chartJs.replaceAll('</script', '<\\/script')}</script>
<script type="application/json" id="report-data">${embedJson(data)}</script>
<script>${chartScript}
${reportScript}</script>
</body>
</html>
`
}

function requestsTable({ totals: t, path, completion: c, follow: f }: Summary): string {
  const l = t.latency
  const cells = [t.requests, t.failures, l.median, l.p95, l.p99, l.max, t.rps, t.okRps]
  const row = (values: (number | null | string)[]) =>
    values.map((value) => `<td class="n">${value ?? '-'}</td>`).join('')
  const completed = c.available
    ? row([c.orders, '', c.p50, c.p95, c.p99, '', '', ''])
    : `<td colspan="8" class="muted">not available: ${esc(c.reason ?? '')}</td>`
  return `<table><tr><th>Name</th><th># reqs</th><th># fails</th><th>Median ms</th><th>p95 ms</th>
<th>p99 ms</th><th>Max ms</th><th>req/s</th><th>accepted/s</th></tr>
<tr><td>POST ${esc(path)}</td>${row(cells)}</tr>
<tr><td>completed, end to end</td>${completed}</tr>
${f ? `<tr><td>completed, as the client saw it</td>${row([f.completed, '', f.p50, f.p95, f.p99, '', '', ''])}</tr>` : ''}</table>
<p class="muted">The first row is the time to the answer (202 once SNS has the order, for async).
The second is the time from the order's creation to its completion by the processor, estimated
from the processor's order_end_to_end_seconds histogram as histogram_quantile() does.${
    f
      ? ` The third is the time from sending the POST to the first poll of its Location that read
completed. ${esc(FOLLOW_NOTE.join(' '))}`
      : ''
  }</p>`
}

function followed({ follow: f }: Summary): string {
  if (!f) return ''
  const errors = f.pollErrors > 0 ? ` · ${f.pollErrors} polls read no status` : ''
  const open = f.notTerminal > 0 ? 'bad' : 'good'
  return `<p>Followed at their Location: <b>${f.orders}</b> orders · completed <b>${f.completed}</b>
· failed <b>${f.failed}</b> · <span class="${open}">not terminal at the deadline <b>${f.notTerminal}</b></span>
· <b>${f.pollsPerOrder ?? '-'}</b> polls per order (${f.polls} GET, not counted as requests)${errors}</p>`
}

function failuresTable({ totals }: Summary): string {
  const kinds = Object.entries(totals.failuresByKind)
  if (kinds.length === 0) return '<p class="good">No failures.</p>'
  const rows = kinds.map(([kind, n]) => `<tr><td>${esc(kind)}</td><td class="n">${n}</td></tr>`)
  return `<h2>Failures</h2><table><tr><th>Kind</th><th>Count</th></tr>${rows.join('')}</table>`
}

function endToEnd(s: Summary): string {
  const notes: string[] = []
  if (!s.queueDepth.available) {
    notes.push(`Queue depth unavailable (${esc(s.queueDepth.error ?? 'not configured')}).`)
  }
  const d = s.drain
  if (!d) {
    const why = s.path === '/orders/sync' ? 'sync orders finish inside the request' : 'drain off'
    return `<p>No drain measured (${why}).</p>${para(notes)}`
  }
  const state = d.drained
    ? `<span class="good">Queue drained ${d.seconds?.toFixed(1)} s after the load stopped.</span>`
    : `<span class="bad">Not drained within ${d.timeoutS} s: ${d.remaining ?? '?'} messages left${esc(neededText(d))}.</span>`
  const balance = d.balanced
    ? '<span class="good">accepted = processed + DLQ</span>'
    : '<span class="bad">accepted ≠ processed + DLQ</span>'
  return `<p>${state}<br>Accepted <b>${d.accepted}</b> · processed <b>${d.processed ?? '?'}</b>
${d.processedFrom ? `(${esc(d.processedFrom)})` : ''} · in DLQ <b>${d.dlq ?? '?'}</b> · ${balance}</p>${para(notes)}`
}

function settingsText({ mode, settings: o }: Summary): string {
  const load =
    mode === 'open' ? `${o.rate} orders/s open loop` : `${o.users} users, spawn ${o.spawnRate}/s`
  return esc(`${load}, ${o.durationS} s, timeout ${o.timeoutS} s, expects ${o.expectStatus}`)
}

function para(lines: string[]) {
  return lines.length === 0 ? '' : `<p class="bad">${lines.join('<br>')}</p>`
}

// Neither the library nor the data may close the <script> element they sit in; in JSON, "<" can
// only occur inside strings, where \u003c means the same.
export function embedJson(data: unknown): string {
  return JSON.stringify(data).replaceAll('<', '\\u003c')
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
