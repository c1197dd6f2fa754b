// Runs in the browser, next to the inlined chart.js; reads the data embedded in the page.
export const reportScript = `
const { summary, timeline } = JSON.parse(document.getElementById('report-data').textContent)
const loadEnd = summary.loadEndS
const drainEnd = summary.drain && summary.drain.drained ? loadEnd + summary.drain.seconds : null
const xMax = Math.ceil(Math.max(loadEnd, ...timeline.queue.map((p) => p.t)))

const markers = {
  id: 'markers',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea: area, scales } = chart
    for (const [t, label, colour] of [[loadEnd, 'load stopped', '#6b7280'], [drainEnd, 'drained', '#0f766e']]) {
      if (t === null) continue
      const x = scales.x.getPixelForValue(t)
      ctx.save()
      ctx.strokeStyle = colour
      ctx.fillStyle = colour
      ctx.setLineDash([5, 4])
      ctx.beginPath()
      ctx.moveTo(x, area.top)
      ctx.lineTo(x, area.bottom)
      ctx.stroke()
      ctx.font = '11px sans-serif'
      const width = ctx.measureText(label).width
      ctx.fillText(label, x + 4 + width > area.right ? x - 4 - width : x + 4, area.top + 12)
      ctx.restore()
    }
  },
}

function line(label, colour, points) {
  return { label, data: points, borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 2, spanGaps: false }
}

function chart(id, title, yTitle, datasets) {
  new Chart(document.getElementById(id), {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', min: 0, max: xMax, title: { display: true, text: 'seconds since start' } },
        y: { beginAtZero: true, title: { display: true, text: yTitle } },
      },
      plugins: { title: { display: true, text: title, font: { size: 14 } } },
    },
    plugins: [markers],
  })
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
  line('in flight (being processed)', '#f59e0b', queue('inFlight')),
  line('DLQ', '#dc2626', queue('dlq')),
])
chart('processed', 'Accepted vs processed', 'orders / s', [
  line('accepted', '#2563eb', rate('ok')),
  line(timeline.queue.some((q) => q.derived) ? 'processed (inferred from depth)' : 'processed', '#16a34a', queue('processedRate')),
])
`
