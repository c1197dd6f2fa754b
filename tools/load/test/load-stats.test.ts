import { describe, expect, it } from 'vitest'
import { endToEnd } from '../src/load/drain.ts'
import type { QueueSample } from '../src/load/monitor.ts'
import { latency, percentile, perSecond, type Sample, totals } from '../src/load/stats.ts'
import { buildTimeline } from '../src/load/timeline.ts'
import { parseCounter } from '../src/queue/processed.ts'

const hundred = Array.from({ length: 100 }, (_, i) => i + 1)

function sample(n: number, start: number, ms: number, failure?: string): Sample {
  const ok = failure === undefined
  return {
    n,
    orderId: `o-${n}`,
    start,
    ms,
    status: ok ? 202 : null,
    ok,
    ...(ok ? {} : { failure }),
  }
}

const queueAt = (t: number, depth: number, dlq: number, processed: number | null): QueueSample => ({
  t,
  visible: depth,
  inFlight: 0,
  dlq,
  processed,
  busy: null,
})

describe('percentile', () => {
  it('when given 1..100, then p50, p95, p99 and p100 are the nearest-rank values', () => {
    expect([50, 95, 99, 100].map((p) => percentile(hundred, p))).toEqual([50, 95, 99, 100])
  })

  it('when there are few values, then it returns a measured value, never an interpolation', () => {
    expect(percentile([10, 20, 30], 50)).toBe(20)
    expect(percentile([10, 20, 30], 95)).toBe(30)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([10, 20], 50)).toBe(10)
  })

  it('when there are no values, then it is null', () => {
    expect(percentile([], 50)).toBeNull()
    expect(latency([])).toMatchObject({ median: null, max: null, avg: null })
  })
})

describe('totals', () => {
  it('when some requests fail, then failures are grouped by kind and still count in latency', () => {
    const samples = [
      sample(1, 0, 10),
      sample(2, 0, 5000, 'client timeout'),
      sample(3, 100, 20),
      sample(4, 200, 3, 'HTTP 503 overloaded'),
    ]
    samples.push({ ...sample(5, 300, 1, 'HTTP 503 overloaded'), status: 503 })
    const result = totals(samples, 2)
    expect(result).toMatchObject({ requests: 5, ok: 2, failures: 3, rps: 2.5, okRps: 1 })
    expect(result.failuresByKind).toEqual({ 'client timeout': 1, 'HTTP 503 overloaded': 2 })
    expect(result.latency).toMatchObject({ min: 1, median: 10, max: 5000 })
  })
})

describe('perSecond', () => {
  it('when responses arrive over time, then each lands in the second it arrived', () => {
    const buckets = perSecond([sample(1, 0, 900), sample(2, 800, 300), sample(3, 1500, 10)], 3)
    expect(buckets.map((b) => b.responses)).toEqual([1, 2, 0])
    expect(buckets[1]).toMatchObject({ p50: 10, p99: 300 })
    expect(buckets[2]?.p50).toBeNull()
  })
})

describe('end-to-end accounting', () => {
  it("when the processor's counter is known, then processed comes from it, net of the baseline", () => {
    const result = endToEnd(queueAt(0, 2, 1, 40), queueAt(9, 0, 2, 47), 8)
    expect(result).toEqual({
      accepted: 8,
      processed: 7,
      processedFrom: 'processor metrics',
      dlq: 1,
      remaining: 0,
      balanced: true,
    })
  })

  it('when the counter is unavailable, then processed is what neither the queue nor the DLQ holds', () => {
    const result = endToEnd(queueAt(0, 0, 0, null), queueAt(9, 3, 1, null), 10)
    expect(result).toMatchObject({ processed: 6, processedFrom: 'queue depth', remaining: 3 })
  })

  it('when the queue cannot be read either, then nothing is claimed to balance', () => {
    const blind = { t: 0, visible: null, inFlight: null, dlq: null, processed: null, busy: null }
    expect(endToEnd(blind, { ...blind, t: 5 }, 4)).toMatchObject({
      processed: null,
      balanced: false,
    })
  })
})

describe('timeline', () => {
  it('when the counter is unavailable, then the processed rate is inferred from depth', () => {
    const samples = [sample(1, 0, 100), sample(2, 200, 100), sample(3, 1200, 100)]
    const queue = [queueAt(0, 0, 0, null), queueAt(1, 1, 0, null), queueAt(2, 0, 0, null)]
    const { queue: points } = buildTimeline(samples, queue, 2)
    expect(points.map((p) => p.processedRate)).toEqual([null, 1, 2])
    expect(points.every((p) => p.derived)).toBe(true)
  })
})

describe('parseCounter', () => {
  it('when a counter has label sets, then their values are summed', () => {
    const text = [
      '# HELP orders_processed_total Orders',
      '# TYPE orders_processed_total counter',
      'orders_processed_total{pod="a"} 3',
      'orders_processed_total{pod="b"} 4',
      'orders_processed_total_other 100',
    ].join('\n')
    expect(parseCounter(text, 'orders_processed_total')).toBe(7)
  })

  it('when the counter is missing, then it says so instead of reading 0', () => {
    expect(() => parseCounter('up 1', 'orders_processed_total')).toThrow(/not found/)
  })
})
