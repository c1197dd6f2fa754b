// One followed order as the client saw it: the last status read, the time from sending the POST
// to the first answer with a terminal status (null if none came), and the status requests made.
export type Followed = { status: string | null; ms: number | null; polls: number; errors: number }

export type Sample = {
  n: number
  orderId: string
  // Milliseconds since the run started, when the request was sent.
  start: number
  ms: number
  status: number | null
  ok: boolean
  failure?: string
  error?: string
  // With --follow, what polling its Location showed, once it has ended.
  follow?: Followed
}

export type Latency = {
  min: number | null
  avg: number | null
  median: number | null
  p95: number | null
  p99: number | null
  max: number | null
}

export type RequestTotals = {
  requests: number
  ok: number
  failures: number
  failuresByKind: Record<string, number>
  latency: Latency
  rps: number
  okRps: number
}

// Nearest rank: the smallest value with at least p% of the values at or below it. Always a value
// that was measured, so a reader can find it in the raw samples.
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1] ?? null
}

export function latency(values: readonly number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b)
  const sum = sorted.reduce((total, value) => total + value, 0)
  return {
    min: sorted[0] ?? null,
    avg: sorted.length === 0 ? null : round(sum / sorted.length),
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? null,
  }
}

// Failed requests count in the response times too, as in Locust: a timeout is the slowest answer.
export function totals(samples: readonly Sample[], seconds: number): RequestTotals {
  const failuresByKind: Record<string, number> = {}
  let ok = 0
  for (const sample of samples) {
    if (sample.ok) ok += 1
    else {
      const kind = sample.failure ?? 'unknown'
      failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1
    }
  }
  return {
    requests: samples.length,
    ok,
    failures: samples.length - ok,
    failuresByKind,
    latency: latency(samples.map((sample) => sample.ms)),
    rps: seconds > 0 ? round(samples.length / seconds) : 0,
    okRps: seconds > 0 ? round(ok / seconds) : 0,
  }
}

export type Second = {
  t: number
  // 1, except the last bucket, which takes the fraction of a second left over (0.5–1.5 s).
  seconds: number
  responses: number
  ok: number
  failures: number
  p50: number | null
  p95: number | null
  p99: number | null
}

// One bucket per second of the response's arrival, like Locust's charts. A last bucket of a few
// milliseconds would chart as a spike or a dip, so the leftover joins the bucket before it.
export function perSecond(samples: readonly Sample[], seconds: number): Second[] {
  const buckets = Array.from({ length: Math.max(1, Math.round(seconds)) }, () => [] as Sample[])
  for (const sample of samples) {
    const index = Math.min(buckets.length - 1, Math.floor((sample.start + sample.ms) / 1000))
    buckets[index]?.push(sample)
  }
  return buckets.map((bucket, t) => {
    const sorted = bucket.map((sample) => sample.ms).sort((a, b) => a - b)
    const ok = bucket.filter((sample) => sample.ok).length
    const last = t === buckets.length - 1
    return {
      t,
      seconds: last ? round(Math.max(0.001, seconds - t), 3) : 1,
      responses: bucket.length,
      ok,
      failures: bucket.length - ok,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
    }
  })
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
