import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM, type Chromium, hasChromium, launchChromium } from '../scripts/chromium.ts'
import { chartData, type LivePage, startFromForm, startLivePage } from '../scripts/live-page.ts'
import { startTestStack, type TestStack } from './load-stack.ts'

const skipped = hasChromium
  ? ''
  : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`
if (!hasChromium) console.log(`load-web.test.ts${skipped}`)

// 10 slots at 300 ms: 33 orders/s, which 20 users outrun, so the queue grows within a second.
const PROCESSING_MS = '300'

describe.skipIf(!hasChromium)('the live page, driven in Chromium', () => {
  let stack: TestStack
  let live: LivePage
  let chromium: Chromium
  let page: Page
  beforeAll(async () => {
    stack = await startTestStack({ processingMs: Number(PROCESSING_MS) })
    // The capacity line's settings in full, whatever a developer's .env says.
    const capacity = ['--workers', '1', '--concurrency', '10', '--processing-ms', PROCESSING_MS]
    // Every async run follows its orders, so the closing status carries the client's view too.
    const flags = [...stack.targets, '--out', stack.out, ...capacity, '--follow']
    live = await startLivePage([...flags, '--web-port', '0'])
    chromium = await launchChromium()
    page = await chromium.context.newPage()
  }, 60_000)
  afterAll(async () => {
    await chromium?.close()
    await live?.stop()
    await stack?.stop()
  })

  const queue = async () => (await chartData(page, 'c-queue'))[0]
  const status = () => page.textContent('#status')

  it(`when an async run is started from the form and stopped, then the charts advance and the drain reaches zero${skipped}`, async () => {
    await page.goto(live.url)
    await expect.poll(status, { timeout: 10_000 }).toContain('Ready')
    await startFromForm(page, { scenario: 'async', users: '20', spawnRate: '50', duration: '60' })

    await expect
      .poll(async () => (await queue())?.last ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(10)
    const rps = await chartData(page, 'c-rps')
    expect(rps[0]?.points).toBeGreaterThan(0)
    expect(await page.textContent('#s-busy')).toMatch(/^\d+ of 10$/)
    const flow = await chartData(page, 'c-flow')
    expect(flow.map((line) => line.label)).toEqual([
      'accepted/s',
      'processed/s',
      expect.stringMatching(/^capacity/),
    ])
    expect(flow[2]?.last).toBeCloseTo(33.3, 0)

    await page.click('#stop')
    await expect
      .poll(status, { timeout: 30_000 })
      .toMatch(/drained [\d.]+ s after the load stopped/)
    expect((await queue())?.last).toBe(0)
    expect(await page.textContent('#s-drain')).toBe('empty')
    const backlog = (await chartData(page, 'c-drain'))[0]
    expect(backlog?.last).toBe(0)
    expect(await page.textContent('#table')).toMatch(/accepted = processed \+ DLQ: yes/)
    expect(await status()).toMatch(
      /followed: \d+ completed \(p50 \d+ ms\), 0 failed, 0 not terminal/,
    )
    expect(await page.textContent('#table')).toMatch(/completed \(client\) +\d+/)
    // The terminal showed the same run, with the drain estimate on its lines.
    expect(live.output()).toMatch(/processing [\d.]+\/s/)
  }, 90_000)

  it(`when a second run is started on the same page, then its charts start afresh${skipped}`, async () => {
    const before = (await queue())?.points ?? 0
    expect(before).toBeGreaterThan(0)
    await startFromForm(page, { scenario: 'sync', users: '2', duration: '1' })
    await expect.poll(status, { timeout: 30_000 }).toMatch(/^done/)
    const rps = await chartData(page, 'c-rps')
    expect(rps[0]?.points).toBeGreaterThan(0)
    expect(rps[0]?.points).toBeLessThan(before)
    expect(await page.textContent('#table')).toContain('POST /orders/sync')
  }, 60_000)
})
