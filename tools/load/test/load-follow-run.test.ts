import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientCompletion } from '../src/load/client-completion.ts'
import { processorReader } from '../src/load/processor.ts'
import { type RunResult, runLoad } from '../src/load/run.ts'
import type { Sample } from '../src/load/stats.ts'
import type { Summary } from '../src/load/summary.ts'
import { createDepthReader } from '../src/queue/depth.ts'
import { readLines, startTestStack, type TestStack } from './load-stack.ts'

const loadCli = fileURLToPath(new URL('../src/load/cli.ts', import.meta.url))

// Long enough that no order is done by the first poll, sent right after its 202.
const PAYMENT_MS = 1000

// The receiver's status requests, all results together.
async function statusRequests(metrics: string): Promise<number> {
  const text = await (await fetch(`${metrics}/metrics`)).text()
  const counts = text.match(/^order_status_requests_total\{[^}]*\} \d+$/gm) ?? []
  return counts.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}

let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack({ processingMs: PAYMENT_MS })
}, 30_000)
afterAll(() => stack?.stop())

describe('an async load with --follow against the embedded stack', () => {
  let result: RunResult
  let samples: Sample[]
  let statusBefore: number
  beforeAll(async () => {
    const argv = ['async', '--users', '2', '--spawn-rate', '10', '--duration', '2', '--follow']
    const options = stack.options(argv)
    statusBefore = await statusRequests(stack.metrics)
    result = await runLoad(options, {
      readDepth: createDepthReader(stack.aws.clients.sqs),
      readProcessor: processorReader(options.processor ?? 'no processor resolved'),
    })
    samples = await readLines<Sample>(join(result.dir, 'samples.jsonl'))
  }, 60_000)

  it('when the run ends, then every accepted order was followed to completed', () => {
    const { totals, follow } = result.summary
    expect(totals.ok).toBeGreaterThan(2)
    expect(totals.failures).toBe(0)
    expect(follow).toMatchObject({
      orders: totals.ok,
      completed: totals.ok,
      failed: 0,
      notTerminal: 0,
      pollErrors: 0,
    })
    expect(samples.map((s) => s.follow?.status)).toEqual(samples.map(() => 'completed'))
  })

  it("when an order's time to completed is read, then it is at least the payment time", () => {
    for (const { follow } of samples) expect(follow?.ms).toBeGreaterThanOrEqual(PAYMENT_MS)
    expect(result.summary.follow?.p50).toBeGreaterThanOrEqual(PAYMENT_MS)
    // The first poll, right after the 202, cannot have seen it done.
    for (const { follow } of samples) expect(follow?.polls).toBeGreaterThanOrEqual(2)
    // The processor's own view of the same orders sits beside it.
    expect(result.summary.completion).toMatchObject({ available: true })
  })

  it('when the polls are counted, then the receiver saw each one and none is an order request', async () => {
    const { totals, follow } = result.summary
    expect((await statusRequests(stack.metrics)) - statusBefore).toBe(follow?.polls)
    expect(totals.requests).toBe(samples.length)
    expect(follow?.pollsPerOrder).toBeCloseTo((follow?.polls ?? 0) / totals.ok, 2)
  })

  it('when the report is saved, then summary.json, the table and the page carry it', async () => {
    const saved = JSON.parse(await readFile(join(result.dir, 'summary.json'), 'utf8')) as Summary
    expect(saved.follow).toEqual(result.summary.follow)
    expect(clientCompletion(samples)).toEqual(saved.follow)
    const f = result.summary.follow
    expect(result.table).toMatch(new RegExp(`completed \\(client\\)\\s+${f?.completed}\\s+\\d`))
    expect(result.table).toContain(`${f?.pollsPerOrder} polls per order (${f?.polls} GET`)
    expect(result.table).toContain("Retry-After interval above the processor's")
    const html = await readFile(join(result.dir, 'report.html'), 'utf8')
    expect(html).toContain(
      `completed, as the client saw it</td><td class="n">${f?.completed}</td><td class="n"></td><td class="n">${f?.p50}<`,
    )
    expect(html).toMatch(/not terminal at the deadline <b>0<\/b>/)
  })
})

describe('npm run load -- async --follow, stopped with Ctrl-C', () => {
  it('when SIGINT comes mid-run, then polling stops with the run and the report counts the rest as not terminal', async () => {
    const out = join(stack.out, 'sigint')
    const args = ['async', '--follow', '--users', '2', '--duration', '60', ...stack.targets]
    const before = await statusRequests(stack.metrics)
    const cli = spawn(process.execPath, [loadCli, ...args, '--out', out], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    cli.stdout.on('data', (chunk) => {
      output += chunk
    })
    const exited = once(cli, 'exit')
    try {
      // Orders are being followed: the receiver has answered some of their polls.
      await expect
        .poll(async () => (await statusRequests(stack.metrics)) - before, { timeout: 15_000 })
        .toBeGreaterThan(4)
      cli.kill('SIGINT')
      expect(await exited).toEqual([0, null])
    } finally {
      cli.kill('SIGKILL')
    }
    const dir = output.match(/Report: (.*)\/report\.html/)?.[1] ?? ''
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Summary
    const follow = summary.follow
    expect(follow?.orders).toBe(summary.totals.ok)
    expect((follow?.completed ?? 0) + (follow?.failed ?? 0) + (follow?.notTerminal ?? 0)).toBe(
      follow?.orders,
    )
    // The last orders were accepted less than a payment before the stop: still pending.
    expect(follow?.notTerminal).toBeGreaterThan(0)
    expect(output).toMatch(/not terminal at the deadline [1-9]/)
  }, 40_000)
})
