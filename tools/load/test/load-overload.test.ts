import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoad } from '../src/load/run.ts'
import type { Sample } from '../src/load/stats.ts'
import { readProcessorMetrics } from '../src/queue/processed.ts'
import { readLines, startTestStack, type TestStack } from './load-stack.ts'

let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack()
}, 30_000)
afterAll(() => stack?.stop())

// The receiver's own count of sync clients that left before their answer, by stage.
async function abandoned(metrics: string, stage: 'waiting' | 'paying') {
  const text = await readProcessorMetrics(metrics)
  const line = new RegExp(`^sync_orders_abandoned_total\\{stage="${stage}"\\} (\\d+)`, 'm')
  return Number(line.exec(text)?.[1] ?? 0)
}

// A receiver of its own (extra env wins), and a run of the load tool against it.
async function loadAgainst(receiverEnv: NodeJS.ProcessEnv, argv: string[]) {
  const receiver = await stack.startReceiver(receiverEnv)
  return { receiver, ...(await runLoad({ ...stack.options(argv), host: receiver.host })) }
}

// One payment at a time, and this many sync orders allowed to wait for it.
const oneSlot = (waiting: number, processingMs: number) => ({
  SYNC_CONCURRENCY: '1',
  SYNC_QUEUE_LIMIT: String(waiting),
  PROCESSING_TIME_MS: String(processingMs),
})

describe('a load against a receiver that sheds', () => {
  it('when its sync queue is full, then the 503s are counted as "overloaded" in the table, summary and report', async () => {
    // No room to wait: every concurrent order past the first is shed.
    const argv = ['sync', '--users', '4', '--spawn-rate', '100', '--duration', '1.5']
    const { summary, table, dir } = await loadAgainst(oneSlot(0, 400), argv)

    const shed = summary.totals.failuresByKind['HTTP 503 overloaded'] ?? 0
    expect(shed).toBeGreaterThan(0)
    expect(summary.totals.ok).toBeGreaterThan(0)
    expect(summary.totals.failures).toBe(shed)
    expect(table).toMatch(new RegExp(`Failures\\n\\s+${shed}  HTTP 503 overloaded`))
    const samples = await readLines<Sample>(join(dir, 'samples.jsonl'))
    expect(samples.filter((s) => s.failure === 'HTTP 503 overloaded')).toHaveLength(shed)
    const html = await readFile(join(dir, 'report.html'), 'utf8')
    expect(html).toContain(`<td>HTTP 503 overloaded</td><td class="n">${shed}</td>`)
  }, 30_000)

  it('when SNS refuses the publish, then the 503s are counted as "publish_failed"', async () => {
    const noTopic = {
      ORDERS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:no-such-topic',
      // Each failed publish is logged as an error; the test reads the answers instead.
      LOG_LEVEL: 'fatal',
    }
    const argv = ['async', '--users', '2', '--duration', '1', '--no-drain']
    const { summary } = await loadAgainst(noTopic, argv)
    expect(summary.totals.requests).toBeGreaterThan(0)
    expect(summary.totals.failuresByKind).toEqual({
      'HTTP 503 publish_failed': summary.totals.requests,
    })
  }, 30_000)
})

describe('a sync load with a client timeout', () => {
  it('when payments outlast --timeout, then requests end as client timeouts and the receiver sees the clients leave', async () => {
    // 1 s payments: the first order is being paid when its client gives up at 0.3 s, the others
    // give up while waiting for the slot.
    const argv = [
      'sync',
      '--users',
      '3',
      '--spawn-rate',
      '100',
      '--duration',
      '0.5',
      '--timeout',
      '0.3',
    ]
    const { receiver, summary, table } = await loadAgainst(oneSlot(10, 1000), argv)

    expect(summary.settings.timeoutS).toBe(0.3)
    expect(summary.totals.ok).toBe(0)
    expect(summary.totals.failuresByKind).toEqual({ 'client timeout': summary.totals.requests })
    expect(summary.totals.latency.max).toBeLessThan(1000)
    expect(table).toContain('client timeout')
    await expect
      .poll(() => abandoned(receiver.metrics, 'waiting'), { timeout: 10_000 })
      .toBeGreaterThan(0)
    // The payment that had started runs to its end; the receiver counts its lost answer.
    await expect
      .poll(() => abandoned(receiver.metrics, 'paying'), { timeout: 10_000 })
      .toBeGreaterThan(0)
  }, 30_000)
})
