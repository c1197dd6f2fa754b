import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseCostArgs } from '../src/args.ts'
import { compare } from '../src/compare.ts'
import { usd } from '../src/line.ts'
import { readDeployedSizes } from '../src/manifest.ts'
import { prices } from '../src/prices.ts'

const sh = promisify(execFile)
const costCli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const run = (argv: string[]) => sh(process.execPath, [costCli, ...argv], { timeout: 30_000 })

describe('npm run cost', () => {
  it('when asked for 1 million orders a month, then it prints both designs, their totals and the break-even', async () => {
    const argv = ['--orders-per-month', '1000000']
    const { stdout } = await run(argv)
    const manifests = await readDeployedSizes()
    const command = parseCostArgs(argv, manifests, prices.fargateSpotDiscount.value)
    if (command.command !== 'compare') throw new Error('expected a comparison')
    const { totals } = compare(command.options, prices)
    expect(stdout).toContain('Load: 1,000,000 orders/month')
    expect(stdout).toMatch(/^ECS worker: 1 Fargate task/m)
    expect(stdout).toMatch(/^Lambda: the processor as a function \(128 MB, x86_64\)/m)
    expect(stdout).toMatch(/^Shared by both/m)
    expect(stdout).toMatch(/^ +\$1\.88 +table writes +3,000,000 write units/m)
    const totalLine = stdout.split('\n').find((l) => l.startsWith('Total a month')) ?? ''
    expect(totalLine).toContain(usd(totals.ecs))
    expect(totalLine).toContain(usd(totals.lambda))
    expect(stdout).toMatch(/Break-even: [\d.]+ orders\/s \([\d,]+ orders\/month\) at list prices/)
  })

  it('when a flag is wrong, then one line on stderr says why and the exit code is 2', async () => {
    const failed = await run(['--rate', 'fast']).catch((err) => err)
    expect(failed.code).toBe(2)
    expect(failed.stdout).toBe('')
    expect(failed.stderr.trim().split('\n')).toEqual([
      'cost: --rate must be a number >= 0, got "fast" (npm run cost -- --help)',
    ])
  })

  it('when --prices is asked, then every price in the table is listed with its source', async () => {
    const { stdout } = await run(['--prices'])
    for (const [name, price] of Object.entries(prices)) {
      expect(stdout).toContain(name)
      expect(stdout).toContain(price.source)
    }
  })

  it('when --help is asked, then the options are listed', async () => {
    const { stdout } = await run(['--help'])
    expect(stdout).toMatch(
      /usage: npm run cost[\s\S]*--sqs-requests-per-order[\s\S]*--lambda-memory-mb[\s\S]*--status-polls/,
    )
  })
})
