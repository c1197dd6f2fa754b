import { execFile, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { SendMessageCommand } from '@aws-sdk/client-sqs'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sample } from '../src/load/stats.ts'
import type { Summary } from '../src/load/summary.ts'
import { readLines, startTestStack, type TestStack } from './load-stack.ts'

const sh = promisify(execFile)
const loadCli = fileURLToPath(new URL('../src/load/cli.ts', import.meta.url))
const queueCli = fileURLToPath(new URL('../src/queue/cli.ts', import.meta.url))

let stack: TestStack
beforeAll(async () => {
  stack = await startTestStack()
}, 30_000)
afterAll(() => stack?.stop())

describe('npm run load', () => {
  it('when a sync run ends, then it prints the table and writes the report under --out', async () => {
    const out = join(stack.out, 'cli')
    const args = ['sync', '--users', '2', '--duration', '2', ...stack.targets, '--out', out]
    const { stdout } = await sh(process.execPath, [loadCli, ...args], { timeout: 30_000 })
    expect(stdout).toMatch(/POST \/orders\/sync\s+\d+\s+0\(0\.00%\)/)
    const dir = stdout.match(/Report: (.*)\/report\.html/)?.[1] ?? ''
    expect(dir.startsWith(out)).toBe(true)
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Summary
    const samples = await readLines<Sample>(join(dir, 'samples.jsonl'))
    expect(samples.length).toBeGreaterThan(0)
    expect(samples).toHaveLength(summary.totals.requests)
    expect(samples.every((s) => s.status === 200)).toBe(true)
    expect(summary.drain).toBeNull()
  }, 40_000)

  it('when the receiver is not up, then it fails at once saying so', async () => {
    const args = ['async', '--host', 'http://127.0.0.1:9', '--out', stack.out]
    const failed = await sh(process.execPath, [loadCli, ...args]).catch((err) => err)
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('is the stack up?')
  })

  it('when a flag is wrong, then the usage is shown with exit code 2', async () => {
    const failed = await sh(process.execPath, [loadCli, 'sync', '--users', 'many']).catch((e) => e)
    expect(failed.code).toBe(2)
    expect(failed.stderr).toMatch(/--users must be a number[\s\S]*usage: npm run load/)
  })

  it('when --help is asked, then the scenarios are listed', async () => {
    const { stdout } = await sh(process.execPath, [loadCli, '--help'])
    expect(stdout).toMatch(/sync.*\n.*async.*\n.*normal.*\n.*flash.*\n.*compare/)
  })
})

describe('npm run queue', () => {
  it('when run once, then it prints the three depths', async () => {
    const args = ['--endpoint', stack.aws.emulator.endpoint]
    const { stdout } = await sh(process.execPath, [queueCli, ...args])
    expect(stdout).toMatch(/orders-queue: 0 visible\s+0 in flight\s+orders-dlq: 0/)
  })

  it('when the queue cannot be reached, then it says where it looked and exits 1', async () => {
    const failed = await sh(process.execPath, [queueCli, '--endpoint', 'http://127.0.0.1:9']).catch(
      (err) => err,
    )
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('cannot read orders-queue on http://127.0.0.1:9')
  })

  it('when given queue URLs, as on AWS, then it reads those queues and names them', async () => {
    const topology = namespacedTopology(randomUUID().slice(0, 8))
    const { queueUrl, dlqUrl } = await stack.aws.provision(topology)
    await stack.aws.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: '{}' }),
    )
    const args = ['--endpoint', stack.aws.emulator.endpoint, '--queue', queueUrl, '--dlq', dlqUrl]
    const { stdout } = await sh(process.execPath, [queueCli, ...args])
    expect(stdout).toContain(`${topology.queueName}: 0 visible`)
    expect(stdout).toContain(`${topology.dlqName}: 1`)
  })

  it('when watching, then each second prints the depths with their rate of change', async () => {
    const args = [queueCli, '--watch', '--endpoint', stack.aws.emulator.endpoint]
    const watch = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    watch.stdout.on('data', (chunk) => {
      output += chunk
    })
    try {
      await expect.poll(() => output, { timeout: 10_000 }).toMatch(/visible \(\+0\.0\/s\)/)
      expect(output).toMatch(/orders-dlq: 0 \([+-]\d+\.\d\/s\)/)
    } finally {
      const exited = once(watch, 'exit')
      watch.kill('SIGINT')
      await exited
    }
  })
})
