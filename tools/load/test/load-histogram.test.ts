import { Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { completionLatency, END_TO_END_METRIC } from '../src/load/completion.ts'
import { histogramDelta, histogramQuantile, parseHistogram } from '../src/load/histogram.ts'

// A real prom-client histogram under the processor's metric name, and its exposition text.
function processorMetrics(labelNames: string[] = []) {
  const registry = new Registry()
  const histogram = new Histogram({
    name: END_TO_END_METRIC,
    help: 'Order created to completed',
    buckets: [0.1, 0.5, 1, 2, 5],
    labelNames,
    registers: [registry],
  })
  const observe = (seconds: number, times: number, labels: Record<string, string> = {}) => {
    for (let i = 0; i < times; i += 1) histogram.observe(labels, seconds)
  }
  return { observe, text: () => registry.metrics() }
}

const read = async (metrics: ReturnType<typeof processorMetrics>) => {
  const histogram = parseHistogram(await metrics.text(), END_TO_END_METRIC)
  if (!histogram) throw new Error('histogram not found')
  return histogram
}

describe('histogram quantiles', () => {
  it('when 100 orders are spread over the buckets, then quantiles interpolate inside the bucket as histogram_quantile does', async () => {
    const metrics = processorMetrics()
    metrics.observe(0.05, 10)
    metrics.observe(0.3, 20)
    metrics.observe(0.8, 30)
    metrics.observe(1.5, 30)
    metrics.observe(3, 10)
    const histogram = await read(metrics)

    expect(histogram.count).toBe(100)
    expect(histogram.sum).toBeCloseTo(0.5 + 6 + 24 + 45 + 30, 6)
    // Rank 50 falls in (0.5, 1], which holds ranks 31–60: 0.5 + 0.5 × 20/30.
    expect(histogramQuantile(0.5, histogram)).toBeCloseTo(0.5 + 0.5 * (20 / 30), 9)
    // Rank 95 and 99 fall in (2, 5], ranks 91–100.
    expect(histogramQuantile(0.95, histogram)).toBeCloseTo(2 + 3 * (5 / 10), 9)
    expect(histogramQuantile(0.99, histogram)).toBeCloseTo(2 + 3 * (9 / 10), 9)
    // The lowest bucket interpolates from 0.
    expect(histogramQuantile(0.05, histogram)).toBeCloseTo(0.1 * (5 / 10), 9)
  })

  it('when the quantile lands beyond the highest finite bound, then that bound is the answer', async () => {
    const metrics = processorMetrics()
    metrics.observe(0.2, 1)
    metrics.observe(30, 9)
    expect(histogramQuantile(0.5, await read(metrics))).toBe(5)
  })

  it('when two readings are subtracted, then only the orders between them count', async () => {
    const metrics = processorMetrics()
    metrics.observe(4, 50)
    const before = await read(metrics)
    metrics.observe(0.3, 10)
    const delta = histogramDelta(before, await read(metrics))

    expect(delta?.count).toBe(10)
    expect(histogramQuantile(0.99, delta ?? before)).toBeLessThanOrEqual(0.5)
    expect(histogramQuantile(0.5, delta ?? before)).toBeCloseTo(0.1 + 0.4 * (5 / 10), 9)
  })

  it('when the histogram has labels, then their series are added up bucket by bucket', async () => {
    const metrics = processorMetrics(['outcome'])
    metrics.observe(0.3, 3, { outcome: 'completed' })
    metrics.observe(0.8, 1, { outcome: 'duplicate' })
    const histogram = await read(metrics)
    expect(histogram.count).toBe(4)
    expect(histogram.buckets.find((b) => b.le === 0.5)?.count).toBe(3)
  })

  it('when the processor has no such histogram, then the reading is null and the report says why', async () => {
    const text = await new Registry().metrics()
    expect(parseHistogram(`${text}\norders_processed_total 3\n`, END_TO_END_METRIC)).toBeNull()
    const latency = completionLatency({ histogram: null }, { histogram: null })
    expect(latency).toEqual({
      available: false,
      reason: `the processor exposes no ${END_TO_END_METRIC}`,
      orders: null,
      p50: null,
      p95: null,
      p99: null,
    })
  })
})

describe('completion latency of a run', () => {
  it('when orders completed between the readings, then p50/p95/p99 are in ms', async () => {
    const metrics = processorMetrics()
    metrics.observe(9, 5)
    const before = { histogram: await read(metrics) }
    metrics.observe(0.8, 100)
    const latency = completionLatency(before, { histogram: await read(metrics) })
    expect(latency).toEqual({
      available: true,
      reason: null,
      orders: 100,
      p50: 750,
      p95: 975,
      p99: 995,
    })
  })

  it('when nothing completed, or the counters went backwards, then it is not available', async () => {
    const metrics = processorMetrics()
    metrics.observe(1.5, 3)
    const reading = { histogram: await read(metrics) }
    expect(completionLatency(reading, reading).reason).toBe('no order completed during the run')
    const restarted = { histogram: await read(processorMetrics()) }
    expect(completionLatency(reading, restarted).reason).toMatch(/restarted/)
    expect(completionLatency({ error: 'ECONNREFUSED' }, reading).reason).toMatch(/ECONNREFUSED/)
  })
})
