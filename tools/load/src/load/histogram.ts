// Prometheus histograms as the processor exposes them: read from the text format, subtracted to
// get one run's share, and turned into quantiles the way PromQL's histogram_quantile() does.

export type Bucket = { le: number; count: number }
// Cumulative buckets sorted by upper bound, the last one +Inf; series with other labels summed.
export type Histogram = { buckets: Bucket[]; count: number; sum: number }

export function parseHistogram(text: string, name: string): Histogram | null {
  const byBound = new Map<number, number>()
  let sum = 0
  let found = false
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}_bucket{`)) {
      const le = /[{,]le="([^"]+)"/.exec(line)?.[1]
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)
      const value = sampleValue(line)
      if (Number.isNaN(bound) || value === null) continue
      byBound.set(bound, (byBound.get(bound) ?? 0) + value)
      found = true
    } else if (line.startsWith(`${name}_sum`)) {
      sum += sampleValue(line) ?? 0
    }
  }
  if (!found) return null
  const buckets = [...byBound].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le)
  return { buckets, count: buckets.at(-1)?.count ?? 0, sum }
}

function sampleValue(line: string): number | null {
  const value = Number(line.slice(line.lastIndexOf(' ') + 1))
  return Number.isFinite(value) ? value : null
}

// What was observed between two readings of the same process. A restart in between resets the
// counters; a negative bucket would mean exactly that, and the difference is then meaningless.
export function histogramDelta(before: Histogram | null, after: Histogram): Histogram | null {
  if (!before) return after
  const earlier = new Map(before.buckets.map((b) => [b.le, b.count]))
  const buckets = after.buckets.map((b) => ({
    le: b.le,
    count: b.count - (earlier.get(b.le) ?? 0),
  }))
  if (buckets.some((b) => b.count < 0)) return null
  return { buckets, count: after.count - before.count, sum: after.sum - before.sum }
}

// Prometheus's estimate: find the bucket holding the q-th observation and interpolate linearly
// inside it, from 0 for the lowest bucket. Past the highest finite bound it can only answer that
// bound. No observations (or no +Inf bucket) gives null.
export function histogramQuantile(q: number, { buckets }: Histogram): number | null {
  const last = buckets.at(-1)
  if (buckets.length < 2 || !last || last.le !== Number.POSITIVE_INFINITY || last.count === 0) {
    return null
  }
  const rank = q * last.count
  const index = buckets.findIndex((b) => b.count >= rank)
  if (index === buckets.length - 1) return buckets[index - 1]?.le ?? null
  const bucket = buckets[index]
  if (!bucket) return null
  const below = buckets[index - 1]
  if (!below && bucket.le <= 0) return bucket.le
  const start = below?.le ?? 0
  const countBelow = below?.count ?? 0
  return start + ((bucket.le - start) * (rank - countBelow)) / (bucket.count - countBelow)
}
