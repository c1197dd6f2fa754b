import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { freePort } from '@orders/stack/ports'
import { Histogram, Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLoadArgs } from '../src/load/args.ts'
import { runCompare } from '../src/load/compare.ts'
import { END_TO_END_METRIC } from '../src/load/completion.ts'
import { parseHistogram } from '../src/load/histogram.ts'
import { processorReader } from '../src/load/processor.ts'
import { chartJs } from '../src/load/report.ts'
import { type RunResult, runLoad } from '../src/load/run.ts'
import type { Sample } from '../src/load/stats.ts'
import type { Summary } from '../src/load/summary.ts'
import { createDepthReader } from '../src/queue/depth.ts'
import { sqsClientFor } from '../src/queue/endpoint.ts'
import { readProcessedTotal } from '../src/queue/processed.ts'
import { readLines, startTestStack, type TestStack } from './load-stack.ts'

let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack()
}, 30_000)
afterAll(() => stack?.stop())

function nearestRank(sorted: number[], p: number) {
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]
}

describe('a short async load against the embedded stack', () => {
  let result: RunResult
  let samples: Sample[]
  beforeAll(async () => {
    const argv = ['async', '--users', '3', '--spawn-rate', '10', '--duration', '2']
    const options = stack.options(argv)
    const processor = options.processor ?? 'no processor resolved'
    result = await runLoad(options, {
      readDepth: createDepthReader(stack.aws.clients.sqs),
      readProcessor: processorReader(processor),
    })
    samples = await readLines<Sample>(join(result.dir, 'samples.jsonl'))
  }, 40_000)

  it('when it ends, then every request is in the raw samples, once, with a unique order id', () => {
    const { totals } = result.summary
    expect(totals.requests).toBeGreaterThan(5)
    expect(samples).toHaveLength(totals.requests)
    expect(new Set(samples.map((s) => s.orderId)).size).toBe(totals.requests)
    expect(samples.every((s) => s.status === 202 && s.ok)).toBe(true)
  })

  it('when the summary is recomputed from the raw samples, then it is the same', async () => {
    const summary = JSON.parse(await readFile(join(result.dir, 'summary.json'), 'utf8')) as Summary
    expect(summary).toEqual(result.summary)
    const sorted = samples.map((s) => s.ms).sort((a, b) => a - b)
    expect(summary.totals).toMatchObject({
      ok: samples.filter((s) => s.ok).length,
      failures: samples.filter((s) => !s.ok).length,
      latency: {
        median: nearestRank(sorted, 50),
        p95: nearestRank(sorted, 95),
        p99: nearestRank(sorted, 99),
        max: sorted.at(-1),
      },
    })
  })

  it('when the queue drains, then accepted = processed (per the processor) + DLQ', async () => {
    const { drain, totals } = result.summary
    const queue = await readLines<{ processed: number }>(join(result.dir, 'queue.jsonl'))
    const baseline = queue[0]?.processed ?? Number.NaN
    const processedSinceBaseline = (await readProcessedTotal(stack.processor)) - baseline
    expect(drain).toMatchObject({ drained: true, accepted: totals.ok, dlq: 0, balanced: true })
    expect(drain?.processedFrom).toBe('processor metrics')
    expect(result.summary.processor).toBe(stack.processor)
    expect(drain?.processed).toBe(processedSinceBaseline)
    expect((drain?.processed ?? 0) + (drain?.dlq ?? 0)).toBe(drain?.accepted)
  })

  it('when the report is opened, then chart.js is inlined and the page carries its data', async () => {
    const html = await readFile(join(result.dir, 'report.html'), 'utf8')
    expect(html).toContain(await chartJs())
    expect(html).not.toMatch(/<script[^>]+src=/)
    const embedded = html.match(
      /<script type="application\/json" id="report-data">(.*?)<\/script>/s,
    )
    const data = JSON.parse(embedded?.[1] ?? 'null')
    expect(data.summary).toEqual(result.summary)
    const perSecond: { responses: number }[] = data.timeline.requests
    const responses = perSecond.reduce((sum, second) => sum + second.responses, 0)
    expect(responses).toBe(result.summary.totals.requests)
    expect(data.timeline.queue.length).toBeGreaterThan(1)
  })
})

describe('a load whose queue cannot be reached', () => {
  it('when the emulator is not there, then the load still runs and says depth is unavailable', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`
    const options = {
      ...stack.options(['async', '--users', '2', '--duration', '1']),
      endpoint: nowhere,
    }
    const { summary, dir } = await runLoad(options, {
      readDepth: createDepthReader(sqsClientFor(nowhere, {})),
      readProcessor: processorReader(stack.processor),
    })
    expect(summary.totals.requests).toBeGreaterThan(0)
    expect(summary.totals.failures).toBe(0)
    expect(summary.queueDepth).toMatchObject({ available: false, error: expect.any(String) })
    // The processor's counter alone still tells when every accepted order is done.
    expect(summary.drain).toMatchObject({
      drained: true,
      remaining: null,
      processed: summary.totals.ok,
    })
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('Queue depth unavailable')
  }, 40_000)
})

describe('compare', () => {
  it('when sync then async have run, then the ratios come from the two summaries', async () => {
    const argv = ['compare', '--users', '2', '--duration', '1', ...stack.targets]
    const command = parseLoadArgs(argv, {}, stack.out)
    if (command.command !== 'compare') throw new Error('expected compare')
    const deps = {
      readDepth: createDepthReader(stack.aws.clients.sqs),
      readProcessor: processorReader(stack.processor),
    }
    const result = await runCompare(command.sync, command.async, deps)
    const sync = result.sync.summary.totals
    const async = result.async.summary.totals
    expect([result.sync.summary.path, result.async.summary.path]).toEqual([
      '/orders/sync',
      '/orders/async',
    ])
    const saved = JSON.parse(await readFile(join(result.dir, 'compare.json'), 'utf8'))
    expect(saved.throughputRatio).toBeCloseTo(async.okRps / sync.okRps, 1)
    expect(saved.medianLatencyRatio).toBeCloseTo(
      (sync.latency.median ?? 0) / (async.latency.median ?? 1),
      1,
    )
    expect(result.text).toContain(`${saved.throughputRatio}x the orders per second`)
  }, 40_000)
})

describe('end-to-end latency in the report', () => {
  const argv = ['async', '--users', '1', '--duration', '1', '--no-drain']

  it("when the processor's histogram grew during the run, then its quantiles reach the table, summary.json and the page", async () => {
    // A real prom-client histogram stands in for the processor's: 100 orders complete in
    // (2, 5] s between the reading before the run and the one after it.
    const registry = new Registry()
    const histogram = new Histogram({
      name: END_TO_END_METRIC,
      help: 'created to completed',
      buckets: [1, 2, 5],
      registers: [registry],
    })
    let readings = 0
    const readProcessor = async () => {
      const reading = {
        processed: 0,
        busy: 0,
        completions: parseHistogram(await registry.metrics(), END_TO_END_METRIC),
      }
      readings += 1
      if (readings === 1) for (let i = 0; i < 100; i += 1) histogram.observe(3)
      return reading
    }
    const { summary, table, dir } = await runLoad(stack.options(argv), { readProcessor })

    expect(readings).toBeGreaterThanOrEqual(2)
    expect(summary.completion).toEqual({
      available: true,
      reason: null,
      orders: 100,
      p50: 3500,
      p95: 4850,
      p99: 4970,
    })
    expect(table).toMatch(/completed \(e2e\)\s+100\s+3500\s+4850\s+4970/)
    const saved = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Summary
    expect(saved.completion).toEqual(summary.completion)
    const html = await readFile(join(dir, 'report.html'), 'utf8')
    expect(html).toMatch(
      /completed, end to end<\/td><td class="n">100<\/td><td class="n"><\/td><td class="n">3500</,
    )
  }, 20_000)

  it('when the processor has no end-to-end histogram, then the report says so instead of zeros', async () => {
    const { summary, table, dir } = await runLoad(stack.options(argv), {
      readProcessor: async () => ({
        processed: 0,
        busy: null,
        completions: parseHistogram(await new Registry().metrics(), END_TO_END_METRIC),
      }),
    })
    const reason = `the processor exposes no ${END_TO_END_METRIC}`
    expect(summary.completion).toMatchObject({ available: false, reason, p50: null, p99: null })
    expect(table).toMatch(new RegExp(`completed \\(e2e\\) +not available: ${reason}`))
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain(`not available: ${reason}`)
  }, 20_000)
})
