import { chartScript } from './chart-script.ts'
import { embedJson } from './html.ts'
import { PIPELINE_WINDOW_S } from './pipeline.ts'
import { webScript } from './web-script.ts'

export type PageDefaults = {
  host: string
  scenarios: Record<string, { users: number; spawnRate: number; durationS: number; rate: number }>
}

const charts = [
  ['c-rps', 'Requests per second'],
  ['c-latency', 'Response times'],
  ['c-users', 'Users'],
  ['c-flow', 'Arrivals vs processing'],
  ['c-queue', 'Queue depth'],
  ['c-slots', 'Processor slots'],
  ['c-e2e', 'End to end'],
  ['c-drain', 'Backlog and drain estimate'],
]

const stats = [
  ['s-rps', 'req/s'],
  ['s-failures', 'failures'],
  ['s-latency', 'p50 / p95 ms'],
  ['s-users', 'users'],
  ['s-flow', 'accepted / processed'],
  ['s-queue', 'queued / in flight / DLQ'],
  ['s-busy', 'busy slots'],
  ['s-capacity', 'arrivals / capacity per s'],
  ['s-drain', 'drained in'],
]

// The live page: a start form, the figures of the last second, and eight charts that fit a
// 1280×800 window. chart.js comes from the tool's own server.
export function renderPage(defaults: PageDefaults): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Load test — orders</title>
<style>
  * { box-sizing: border-box; }
  body { font: 13px/1.35 system-ui, sans-serif; margin: 0; color: #111827; background: #f9fafb; }
  header { display: flex; align-items: center; gap: 14px; padding: 8px 14px; background: #fff; border-bottom: 1px solid #e5e7eb; }
  h1 { font-size: 16px; margin: 0; white-space: nowrap; }
  form { display: flex; align-items: end; gap: 8px; flex-wrap: nowrap; }
  label { display: flex; flex-direction: column; font-size: 11px; color: #6b7280; }
  input, select { font: inherit; padding: 3px 5px; border: 1px solid #d1d5db; border-radius: 4px; width: 72px; color: #111827; }
  input#f-host { width: 190px; } select { width: 84px; }
  button { font: inherit; font-weight: 600; padding: 5px 12px; white-space: nowrap; border-radius: 4px; border: 1px solid transparent; cursor: pointer; }
  #start { background: #15803d; color: #fff; } #stop { background: #b91c1c; color: #fff; }
  #start:disabled, #stop:disabled { background: #e5e7eb; color: #9ca3af; cursor: default; }
  #status { margin-left: auto; text-align: right; font-size: 12px; color: #374151; max-width: 360px; }
  #status.bad { color: #b91c1c; }
  .stats { display: grid; grid-template-columns: repeat(${stats.length}, auto); gap: 8px; padding: 8px 14px 0; }
  .stat { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; padding: 4px 8px; }
  .stat b { display: block; font-size: 16px; font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .stat span { display: block; font-size: 11px; color: #6b7280; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .grid { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; padding: 8px 14px; }
  .chart { position: relative; height: calc((100vh - 140px) / 2); min-height: 220px; background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; padding: 4px 6px; }
  details { padding: 0 14px 14px; } pre { font-size: 12px; background: #fff; border: 1px solid #e5e7eb; padding: 8px; overflow-x: auto; }
</style>
</head>
<body>
<header>
  <h1>Orders load test</h1>
  <form id="form">
    <label>scenario<select id="f-scenario">
      ${Object.keys(defaults.scenarios)
        .map(
          (name) =>
            `<option value="${name}"${name === 'async' ? ' selected' : ''}>${name}</option>`,
        )
        .join('')}
    </select></label>
    <label>users<input id="f-users" inputmode="numeric"></label>
    <label>spawn rate/s<input id="f-spawnRate" inputmode="decimal"></label>
    <label>orders/s<input id="f-rate" inputmode="decimal"></label>
    <label>duration s<input id="f-duration" inputmode="decimal"></label>
    <label>host<input id="f-host" placeholder="${attr(defaults.host)}"></label>
    <button id="start" type="submit">Start</button>
    <button id="stop" type="button" disabled>Stop</button>
  </form>
  <div id="status">Connecting…</div>
</header>
<div class="stats">
${stats.map(([id, label]) => `  <div class="stat"><b id="${id}">–</b><span>${label}</span></div>`).join('\n')}
</div>
<div class="grid">
${charts.map(([id, title]) => `  <div class="chart"><canvas id="${id}" aria-label="${title}"></canvas></div>`).join('\n')}
</div>
<details id="result" hidden><summary>Result</summary><pre id="table"></pre></details>
<script src="/chart.umd.js"></script>
<script type="application/json" id="defaults">${embedJson({ ...defaults, windowS: PIPELINE_WINDOW_S })}</script>
<script>${chartScript}
${webScript}</script>
</body>
</html>
`
}

function attr(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
