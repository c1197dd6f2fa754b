import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { COMPOSE_MIN, ENGINE_MIN } from '../src/docker-engine.ts'
import { fakeDocker, modern } from './fake-docker.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))
const check = join(root, 'stack/src/docker-check.ts')
const docker = fakeDocker()
afterAll(() => docker.remove())

// Every script and TypeScript source that could hold a minimum; tests, which assert the messages
// that name them, aside, and the copies a mutation run keeps in .stryker-tmp while it runs.
function codeFiles(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      const skip = ['node_modules', '.node', '.git', 'reports', '.stryker-tmp', 'test']
      return skip.includes(entry.name) ? [] : codeFiles(path)
    }
    const code = /\.(sh|ts)$/.test(entry.name) && !entry.name.endsWith('.test.ts')
    const script = entry.name === 'Makefile' || relative(root, dir) === '.ci'
    return code || script ? [relative(root, path)] : []
  })
}

describe('the Docker minimums', () => {
  it.each([
    ['Engine', ENGINE_MIN],
    ['Compose', COMPOSE_MIN],
  ])('when the repository is searched, then the %s minimum is written once', (_, min) => {
    const holders = codeFiles().flatMap((file) => {
      const count = readFileSync(join(root, file), 'utf8').split(min).length - 1
      return count > 0 ? [`${file} (${count})`] : []
    })
    expect(holders).toEqual(['stack/src/docker-engine.ts (1)'])
  })

  it('when CI prepares Docker, then it asks the TypeScript check for the compose minimum', () => {
    const script = readFileSync(join(root, '.ci/containers.sh'), 'utf8')
    expect(script).toContain('node stack/src/docker-check.ts compose')
  })
})

describe('node stack/src/docker-check.ts', () => {
  const run = (part: string, machine: Record<string, string>) =>
    spawnSync(process.execPath, [check, part], { encoding: 'utf8', env: docker.env(machine) })

  it('when compose meets the minimum, then it prints the version and exits 0', () => {
    const result = run('compose', { ...modern, FAKE_COMPOSE: 'v2.26.1' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe('2.26.1')
  })

  it.each([
    [
      'compose',
      { ...modern, FAKE_COMPOSE: '2.20.2' },
      'Docker Compose 2.20.2 is older than 2.24.4',
    ],
    ['compose', { ...modern, FAKE_COMPOSE: '' }, 'the Docker Compose v2 plugin is missing'],
    ['engine', { ...modern, FAKE_ENGINE: '19.03.8' }, 'Docker Engine 19.03.8 is older than 20.10'],
    ['engine', {}, 'no Docker engine answers'],
  ])('when asked about %s on %j, then it exits 1 saying why', (part, machine, why) => {
    const result = run(part, machine)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(why)
    expect(result.stdout).toBe('')
  })

  it('when asked about anything else, then it prints its usage and exits 2', () => {
    const result = run('buildx', modern)
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('usage: node stack/src/docker-check.ts engine|compose')
  })
})
