// Runs in the browser, next to the inlined chart.js and the shared chart code; reads the data
// embedded in the page.
export const reportScript = `
const { summary, timeline } = JSON.parse(document.getElementById('report-data').textContent)
const loadEnd = summary.loadEndS
const drainEnd = summary.drain && summary.drain.drained ? loadEnd + summary.drain.seconds : null
const xMax = Math.ceil(Math.max(loadEnd, drainEnd ?? 0, ...timeline.queue.map((p) => p.t)))
const markers = () => [
  { t: loadEnd, label: 'load stopped', colour: '#6b7280' },
  { t: drainEnd, label: 'drained', colour: '#0f766e' },
]

function chart(id, title, yTitle, datasets) {
  lineChart(document.getElementById(id), { title, yTitle, datasets, x: { max: xMax }, markers })
}

const perSecond = (key) => timeline.requests.map((r) => ({ x: r.t + 0.5, y: r[key] }))
const rate = (key) => timeline.requests.map((r) => ({ x: r.t + r.seconds / 2, y: Math.round(r[key] / r.seconds) }))
const queue = (key) => timeline.queue.map((q) => ({ x: q.t, y: q[key] }))

chart('throughput', 'Throughput', 'responses / s', [
  line('accepted (' + summary.settings.expectStatus + ')', '#2563eb', rate('ok')),
  line('failed', '#dc2626', rate('failures')),
])
chart('latency', 'Response time percentiles', 'ms', [
  line('p50', '#16a34a', perSecond('p50')),
  line('p95', '#f59e0b', perSecond('p95')),
  line('p99', '#dc2626', perSecond('p99')),
])
chart('queue', 'Queue depth', 'messages', [
  line('visible (waiting)', '#2563eb', queue('visible')),
  line('in flight (received by a processor)', '#f59e0b', queue('inFlight')),
  line('DLQ', '#dc2626', queue('dlq')),
])
chart('processed', 'Accepted vs processed', 'orders / s', [
  line('accepted', '#2563eb', rate('ok')),
  line(timeline.queue.some((q) => q.derived) ? 'processed (inferred from depth)' : 'processed', '#16a34a', queue('processedRate')),
])
`
