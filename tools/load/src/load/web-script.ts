// Runs in the live page next to chart.js and the shared chart code: draws each second's tick as
// the server pushes it, and drives the form.
export const webScript = `
const $ = (id) => document.getElementById(id)
const defaults = JSON.parse($('defaults').textContent)
const colour = { blue: '#2563eb', green: '#16a34a', amber: '#f59e0b', red: '#dc2626', grey: '#6b7280', teal: '#0f766e', violet: '#7c3aed' }
let run = null
let state = 'idle'
let loadEnd = null
let drainedAt = null
const markers = () => [
  { t: loadEnd, label: 'load stopped', colour: colour.grey },
  { t: drainedAt, label: 'drained', colour: colour.teal },
]
const chart = (id, title, yTitle, datasets, more) => lineChart($(id), { title, yTitle, datasets, markers, legendSize: 11, ...more })
const charts = [
  chart('c-rps', 'Requests per second', 'per second', [line('requests/s', colour.green, []), line('failures/s', colour.red, [])]),
  chart('c-latency', 'Response times', 'ms', [line('p50', colour.green, []), line('p95', colour.amber, [])]),
  chart('c-users', 'Users', 'users', [line('users', colour.blue, []), line('awaiting an answer', colour.grey, [])]),
  chart('c-flow', 'Arrivals vs processing', 'orders / s', [line('accepted/s', colour.blue, []), line('processed/s', colour.green, []), dashed('capacity: workers × N ÷ T', colour.red, [])], { subtitle: 'averages over the last ' + defaults.windowS + ' s' }),
  chart('c-queue', 'Queue depth', 'messages', [line('visible', colour.blue, []), line('in flight', colour.amber, []), line('DLQ', colour.red, [])]),
  chart('c-slots', 'Processor slots', 'orders', [line('busy', colour.violet, []), dashed('slots: workers × N', colour.red, [])]),
  chart('c-e2e', 'End to end (created → completed)', 'ms', [line('p50', colour.green, []), line('p95', colour.amber, [])], { subtitle: 'orders completed in the last ' + defaults.windowS + ' s' }),
  chart('c-drain', 'Backlog and drain estimate', 'messages', [line('backlog', colour.blue, []), line('drain estimate (s)', colour.teal, [], { yAxisID: 'y2' })], { y2Title: 'seconds to drain', subtitle: 'backlog ÷ processed/s' }),
]
// One row per line drawn: chart, dataset, the tick's value.
const series = [
  [0, 0, (k) => k.rps], [0, 1, (k) => k.failuresPerS],
  [1, 0, (k) => k.p50], [1, 1, (k) => k.p95],
  [2, 0, (k) => k.users], [2, 1, (k) => k.waiting],
  [3, 0, (k) => k.acceptedRate], [3, 1, (k) => k.processedRate], [3, 2, (k) => k.capacity],
  [4, 0, (k) => k.visible], [4, 1, (k) => k.inFlight], [4, 2, (k) => k.dlq],
  [5, 0, (k) => k.busy], [5, 1, (k) => k.slots],
  [6, 0, (k) => k.e2eP50], [6, 1, (k) => k.e2eP95],
  [7, 0, (k) => k.backlog], [7, 1, (k) => k.drainEtaS],
]

const fields = ['users', 'spawnRate', 'rate', 'duration', 'host']
function showDefaults() {
  const d = defaults.scenarios[$('f-scenario').value]
  const open = d.rate > 0
  $('f-users').placeholder = open ? '–' : d.users
  $('f-spawnRate').placeholder = open ? '–' : d.spawnRate
  $('f-rate').placeholder = open ? d.rate : '–'
  $('f-duration').placeholder = d.durationS
  $('f-users').disabled = $('f-spawnRate').disabled = open
  $('f-rate').disabled = !open
}
$('f-scenario').addEventListener('change', showDefaults)
showDefaults()

$('form').addEventListener('submit', async (e) => {
  e.preventDefault()
  const form = { scenario: $('f-scenario').value }
  for (const f of fields) if (!$('f-' + f).disabled && $('f-' + f).value.trim()) form[f] = $('f-' + f).value.trim()
  const res = await post('/runs', form)
  if (!res.ok) status((await res.json()).message, true)
})
$('stop').addEventListener('click', () => post('/runs/stop', {}))
const post = (path, body) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

function status(text, bad) {
  $('status').textContent = text
  $('status').className = bad ? 'bad' : ''
}

function startRun(r) {
  run = r
  loadEnd = drainedAt = null
  state = 'load'
  for (const c of charts) {
    for (const d of c.data.datasets) d.data = []
    c.options.scales.x.suggestedMax = r.settings.durationS
  }
  $('result').hidden = true
  status(r.scenario + ' on ' + r.host + r.path + ' started')
  buttons()
}

function addTick(k) {
  state = k.phase
  if (k.phase === 'drain' && loadEnd === null) loadEnd = k.t - k.sinceStopS
  if (k.phase === 'drain' && run.drain && drainedAt === null && k.backlog === 0) drainedAt = k.t
  for (const [c, d, value] of series) {
    const y = value(k)
    charts[c].data.datasets[d].data.push({ x: k.t, y: y === undefined ? null : y })
  }
  showTick(k)
}

const num = (v, digits) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits || 0))
function about(s) {
  if (s === null) return '–'
  if (s < 90) return '~' + Math.round(s) + ' s'
  if (s < 5400) return '~' + Math.round(s / 60) + ' min'
  return '~' + (s / 3600).toFixed(1) + ' h'
}
function showTick(k) {
  $('s-rps').textContent = num(k.rps, 1)
  $('s-failures').textContent = k.failures + ' of ' + k.requests
  $('s-latency').textContent = num(k.p50) + ' / ' + num(k.p95)
  $('s-users').textContent = k.users === null ? k.waiting + ' waiting' : k.users
  $('s-flow').textContent = k.accepted + ' / ' + num(k.processed)
  $('s-queue').textContent = k.visible === null ? 'unavailable' : k.visible + ' / ' + k.inFlight + ' / ' + k.dlq
  $('s-busy').textContent = num(k.busy) + ' of ' + k.slots
  $('s-capacity').textContent = num(k.acceptedRate) + ' / ' + num(k.capacity)
  $('s-drain').textContent = k.backlog === 0 ? 'empty' : about(k.drainEtaS)
  $('s-drain').nextSibling.textContent = k.processedRate === null ? 'drained in' : 'drained in, at ' + num(k.processedRate, 1) + '/s'
  if (state === 'load') status('loading: ' + Math.round(k.t) + ' s of ' + run.settings.durationS)
  if (state === 'drain' && run.drain) status('load stopped ' + Math.round(k.sinceStopS) + ' s ago; draining, ' + (k.backlog === 0 ? 'queue empty' : about(k.drainEtaS) + ' left'))
}

function finishRun(outcome) {
  state = 'done'
  if ('error' in outcome) status('failed: ' + outcome.error, true)
  else {
    const d = outcome.summary.drain
    if (d && d.drained) drainedAt = outcome.summary.loadEndS + d.seconds
    const end = d ? (d.drained ? 'drained ' + d.seconds.toFixed(1) + ' s after the load stopped' : 'not drained within ' + d.timeoutS + ' s') : 'done'
    const f = outcome.summary.follow
    const followed = f ? ' · followed: ' + f.completed + ' completed (p50 ' + num(f.p50) + ' ms), ' + f.failed + ' failed, ' + f.notTerminal + ' not terminal' : ''
    status(end + followed + ' · report: ' + outcome.report, d && !d.drained)
    $('table').textContent = outcome.table
    $('result').hidden = false
  }
  buttons()
}

function buttons() {
  const busy = state === 'load' || state === 'drain'
  $('start').disabled = busy
  $('stop').disabled = !busy
  $('stop').textContent = state === 'drain' ? 'Stop watching' : 'Stop'
}

function redraw() {
  for (const c of charts) c.update('none')
}

const events = new EventSource('/events')
events.addEventListener('snapshot', (e) => {
  const s = JSON.parse(e.data)
  state = s.state
  if (s.run) {
    startRun(s.run)
    for (const k of s.ticks) addTick(k)
    if (s.outcome) finishRun(s.outcome)
  } else status('Ready: pick a scenario and start')
  state = s.state
  buttons()
  redraw()
})
events.addEventListener('run', (e) => { startRun(JSON.parse(e.data).run); redraw() })
events.addEventListener('tick', (e) => { addTick(JSON.parse(e.data).tick); buttons(); redraw() })
events.addEventListener('note', (e) => status(JSON.parse(e.data).text))
events.addEventListener('done', (e) => { finishRun(JSON.parse(e.data).outcome); redraw() })
events.addEventListener('error', () => { if (events.readyState !== EventSource.OPEN) status('connection to the load tool lost; retrying…', true) })
`
