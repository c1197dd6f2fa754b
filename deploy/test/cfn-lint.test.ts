import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoPath } from './copilot.ts'

// Every addon template of every workload and environment; addons.parameters.yml is Copilot's, not
// a template.
const addons = readdirSync(repoPath('copilot'), { recursive: true, encoding: 'utf8' })
  .filter((path) => /(^|\/)addons\/[^/]+\.ya?ml$/.test(path))
  .filter((path) => !path.endsWith('addons.parameters.yml'))
  .map((path) => join('copilot', path))
  .sort()

const hasCfnLint = spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0
if (!hasCfnLint) console.warn('skipped cfn-lint of the Copilot addons: cfn-lint is not installed')

describe('Copilot addon templates', () => {
  it('when the addons are listed, then all of ours are there', () => {
    expect(addons).toEqual([
      'copilot/environments/addons/orders-table.yml',
      'copilot/processor/addons/change-visibility.yml',
      'copilot/processor/addons/orders-table-access.yml',
      'copilot/receiver/addons/orders-table-access.yml',
      'copilot/receiver/addons/processor-lambda.yml',
    ])
    for (const addon of addons) expect(existsSync(repoPath(addon))).toBe(true)
  })

  it.skipIf(!hasCfnLint)(
    `when cfn-lint reads them, then it reports nothing${hasCfnLint ? '' : ' (skipped: no cfn-lint here)'}`,
    () => {
      const result = spawnSync('cfn-lint', addons, { cwd: repoPath(''), encoding: 'utf8' })
      expect(result.stdout + result.stderr).toBe('')
      expect(result.status).toBe(0)
    },
    60_000,
  )
})
