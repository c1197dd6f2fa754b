import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { postOrder } from '@orders/stack/service-process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ComposeStack, composeStack, countBy } from './compose-stack.ts'
import { ok, root, run } from './docker.ts'

const sh = promisify(execFile)
const localStackDoc = readFileSync(root('docs/local-stack.md'), 'utf8')

// The curl commands of docs/local-stack.md's "Run with Docker" section, continuation lines joined.
function dockerSectionCurls(): string[] {
  const section = localStackDoc.split('## Run with Docker')[1]?.split('\n## ')[0] ?? ''
  return section
    .replaceAll(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.startsWith('curl '))
}

async function allCompleted(stack: ComposeStack, ids: string[]) {
  await expect
    .poll(
      async () => {
        const done = new Set((await stack.completions()).map((c) => c.orderId))
        return ids.filter((orderId) => !done.has(orderId))
      },
      { timeout: 90_000, interval: 1_000 },
    )
    .toEqual([])
}

async function completedOnce(stack: ComposeStack, ids: string[]) {
  const counts = countBy((await stack.completions()).map((c) => c.orderId))
  expect(ids.filter((orderId) => counts.get(orderId) !== 1)).toEqual([])
}

describe('the compose stack with the fauxqs emulator', () => {
  let stack: ComposeStack

  beforeAll(async () => {
    stack = await composeStack('fauxqs')
    await stack.up()
  }, 900_000)

  afterAll(() => stack?.down(), 180_000)

  it('when it is up, then the documented curl examples work and the processor completes the async order', async () => {
    const curls = dockerSectionCurls()
    expect(curls.length).toBeGreaterThanOrEqual(2)
    const answers: string[] = []
    for (const line of curls) {
      const command = line.replaceAll('127.0.0.1:8080', stack.receiverUrl.slice('http://'.length))
      answers.push((await sh('sh', ['-c', command], { timeout: 30_000 })).stdout)
    }
    expect(answers[0]).toBe('OK')
    const async = answers.map((a) => (a.startsWith('{') ? JSON.parse(a) : {}))
    expect(async).toContainEqual(expect.objectContaining({ order_id: '002', status: 'pending' }))
    await allCompleted(stack, ['002'])
  })

  it('when the processor is stopped with orders in flight, then it exits 0 and every order completes once', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `stop-${randomUUID().slice(0, 8)}-${i}`)
    const answers = await Promise.all(ids.map((orderId) => postOrder(stack.receiverUrl, orderId)))
    expect(answers.every((answer) => answer.status === 202)).toBe(true)
    await expect.poll(() => stack.inFlight(), { timeout: 20_000 }).toBeGreaterThan(0)

    await stack.compose(['stop', 'processor'], 60_000)
    expect(await stack.exitCodes('processor')).toEqual([0])
    // What was in flight was finished during the drain, before the process exited.
    expect((await stack.completions()).some((c) => ids.includes(c.orderId))).toBe(true)

    await stack.compose(['start', 'processor'], 60_000)
    await allCompleted(stack, ids)
    await completedOnce(stack, ids)
  })

  it('when scaled to three processors and stopped mid-run, then they share the orders, exit 0 and complete each once', async () => {
    await stack.compose(
      ['up', '--detach', '--wait', '--no-build', '--no-recreate', '--scale', 'processor=3'],
      300_000,
    )
    const ids = Array.from({ length: 40 }, (_, i) => `scale-${randomUUID().slice(0, 8)}-${i}`)
    const answers = await Promise.all(ids.map((orderId) => postOrder(stack.receiverUrl, orderId)))
    expect(answers.every((answer) => answer.status === 202)).toBe(true)
    await expect.poll(() => stack.inFlight(), { timeout: 20_000 }).toBeGreaterThan(0)

    await stack.compose(['stop', 'processor'], 60_000)
    expect(await stack.exitCodes('processor')).toEqual([0, 0, 0])
    await stack.compose(['start', 'processor'], 60_000)

    await allCompleted(stack, ids)
    await completedOnce(stack, ids)
    const ours = (await stack.completions()).filter((c) => ids.includes(c.orderId))
    const byContainer = countBy(ours.map((c) => c.container))
    console.log(`orders per processor: ${JSON.stringify(Object.fromEntries(byContainer))}`)
    expect(byContainer.size).toBeGreaterThanOrEqual(2)
  })

  it('when `make down` runs, then no container, network or volume of the project is left', async () => {
    await ok('make', ['down'], {
      env: { ...stack.env, STACK: 'compose', EMULATOR: 'fauxqs' },
      timeoutMs: 180_000,
    })
    const filter = `label=com.docker.compose.project=${stack.project}`
    const left = await Promise.all([
      run('docker', ['ps', '--all', '--quiet', '--filter', filter]),
      run('docker', ['network', 'ls', '--quiet', '--filter', filter]),
      run('docker', ['volume', 'ls', '--quiet', '--filter', filter]),
    ])
    expect(left.map((r) => r.code)).toEqual([0, 0, 0])
    expect(left.map((r) => r.stdout.trim())).toEqual(['', '', ''])
  })
})
