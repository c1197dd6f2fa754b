import { describe, expect, it } from 'vitest'
import type { CompletionReading } from '../src/load/completion.ts'
import { measure, type RunState } from '../src/load/live.ts'
import type { QueueSample } from '../src/load/monitor.ts'
import { about, drainEstimate, drainLine, progressLine } from '../src/load/progress.ts'
import type { Sample } from '../src/load/stats.ts'

const answered = (n: number, atMs: number, ok = true): Sample => ({
  n,
  orderId: `o-${n}`,
  start: atMs - 5,
  ms: 5,
  status: ok ? 202 : 503,
  ok,
  ...(ok ? {} : { failure: 'HTTP 503 overloaded' }),
})

const queueAt = (t: number, visible: number | null, processed: number | null): QueueSample => ({
  t,
  visible,
  inFlight: visible === null ? null : 10,
  dlq: visible === null ? null : 0,
  processed,
  busy: 10,
})

// A processor at 10 orders/s while 30 a second arrive, sampled for 20 s.
function state(over: Partial<RunState> = {}): RunState {
  const samples = Array.from({ length: 600 }, (_, i) => answered(i + 1, (i + 1) * (20_000 / 600)))
  const queue = Array.from({ length: 21 }, (_, t) => queueAt(t, 20 * t, 10 * t))
  return {
    t: 20,
    phase: 'load',
    loadEndS: null,
    samples,
    queue,
    completions: [],
    users: 30,
    waiting: 2,
    capacity: { workers: 1, concurrency: 10, processingMs: 1000 },
    ...over,
  }
}

describe('a tick of the live measurements', () => {
  it('when arrivals outrun the processor, then rates, capacity and the drain estimate say so', () => {
    const tick = measure(state())
    expect(tick).toMatchObject({
      requests: 600,
      failures: 0,
      rps: expect.closeTo(30, 0),
      users: 30,
      slots: 10,
      capacity: 10,
      acceptedRate: 30,
      processedRate: 10,
      processed: 200,
      processedDerived: false,
      visible: 400,
      backlog: 410,
      drainEtaS: 41,
    })
  })

  it("when the processor's counter is missing, then the processed rate is inferred from the queue", () => {
    // Accepted 30/s, the backlog grows 20/s: 10/s processed.
    const queue = Array.from({ length: 21 }, (_, t) => queueAt(t, 20 * t, null))
    const tick = measure(state({ queue }))
    expect(tick).toMatchObject({ processedDerived: true, processedRate: 10, drainEtaS: 41 })
  })

  it('when failures arrive, then they are counted by kind and per second', () => {
    const samples = [answered(1, 19_000), answered(2, 19_500, false), answered(3, 19_900, false)]
    const tick = measure(state({ samples }))
    expect(tick.failuresByKind).toEqual({ 'HTTP 503 overloaded': 2 })
    expect(tick.failuresPerS).toBe(0.4)
  })

  it('when the histogram grew in the window, then the end-to-end quantiles are of those orders only', () => {
    const hist = (fast: number, slow: number) => ({
      histogram: {
        buckets: [
          { le: 1, count: fast },
          { le: 10, count: fast + slow },
          { le: Number.POSITIVE_INFINITY, count: fast + slow },
        ],
        count: fast + slow,
        sum: 0,
      },
    })
    // 100 fast orders before the window; in it, only slow ones (1–10 s).
    const completions: CompletionReading[] = Array.from({ length: 21 }, (_, t) =>
      t < 10 ? hist(100, 0) : hist(100, 10 * (t - 9)),
    )
    const tick = measure(state({ completions }))
    expect(tick.e2eP50).toBeGreaterThan(1000)
    expect(tick.e2eP95).toBeLessThanOrEqual(10_000)
  })

  it('when draining, then the line gives the processing rate and when it will be empty', () => {
    const tick = measure(state({ phase: 'drain', loadEndS: 15 }))
    expect(tick.sinceStopS).toBe(5)
    expect(drainLine(tick, 600)).toBe(
      'draining    5s  queue 400 visible / 10 in flight / 0 DLQ  processed 200 of 600  processing 10.0/s, drained in ~41 s',
    )
    expect(progressLine(tick)).toMatch(
      /^ {2}20s +30\.\d req\/s .* 600 reqs {2}0 failed {2}queue 400/,
    )
  })

  it('when nothing completes, then no estimate is claimed', () => {
    expect(drainEstimate({ processedRate: 0, drainEtaS: null })).toBe(
      'processing 0.0/s, no estimate while nothing completes',
    )
    expect(drainEstimate({ processedRate: null, drainEtaS: null })).toBe('processing rate unknown')
    expect([about(45), about(400), about(6 * 3600)]).toEqual(['~45 s', '~7 min', '~6.0 h'])
  })
})
