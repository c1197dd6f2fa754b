import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'

const drainModule = JSON.stringify(new URL('../src/drain.ts', import.meta.url).href)

// A process that drains the way a service does, with a drain of `drainMs` (or one that never ends).
async function runUntilSignal(drainMs: number | 'never', deadlineMs = 5000) {
  const script = `
    const { drainOnSignals } = await import(${drainModule})
    const { pino } = await import('pino')
    const logger = pino({ base: null, timestamp: false }, pino.destination({ sync: true }))
    drainOnSignals({ logger, exit: (code) => process.exit(code), deadlineMs: ${deadlineMs},
      context: () => ({ inFlight: 2 }),
      drain: () => new Promise((resolve) => { ${drainMs === 'never' ? 'setInterval(() => {}, 1000)' : `setTimeout(resolve, ${drainMs})`} }) })
    console.log('ready')
    setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
  })
  let out = ''
  child.stdout.on('data', (chunk) => {
    out += chunk
  })
  await expect.poll(() => out, { timeout: 10_000 }).toContain('ready')
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await expect.poll(() => out, { timeout: 10_000 }).toContain('draining')
  // A second signal while draining changes nothing.
  child.kill('SIGINT')
  const [code] = await exited
  const lines = out
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line))
  return { code, lines }
}

describe('drainOnSignals', () => {
  it('when SIGTERM arrives, then it drains once, logs draining and stopped, and exits 0', async () => {
    const { code, lines } = await runUntilSignal(50)
    expect(code).toBe(0)
    expect(lines).toEqual([
      { level: 30, signal: 'SIGTERM', inFlight: 2, msg: 'draining' },
      { level: 30, msg: 'stopped' },
    ])
  })

  it('when the drain outlives the deadline, then it says so and exits 1', async () => {
    const { code, lines } = await runUntilSignal('never', 200)
    expect(code).toBe(1)
    expect(lines.at(-1)).toEqual({
      level: 50,
      deadlineMs: 200,
      inFlight: 2,
      msg: 'drain deadline passed; exiting',
    })
  })
})
