import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { repoPath } from './copilot.ts'

// The shell commands of a Markdown page in reading order: every line of its sh code blocks,
// continuation lines joined, comments and blank lines dropped.
function shellCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^ *```(?:sh|bash|console)\n([\s\S]*?)^ *```$/gm)]
  return blocks.flatMap(([, body = '']) =>
    body
      .replaceAll(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) =>
        line
          .replace(/(^|\s)#.*$/, '')
          .replaceAll(/\s+/g, ' ')
          .trim(),
      )
      .filter(Boolean),
  )
}

// `copilot svc deploy` or `copilot deploy` that deploys the receiver: it names it, or names no
// service at all (Copilot then asks which, or deploys them all).
function deploysReceiver(command: string): boolean {
  if (!/^copilot\s+(svc\s+)?deploy\b/.test(command)) return false
  const named = /(?:--name|-n)[ =](\S+)/.exec(command)?.[1]
  return named === undefined || named === 'receiver' || named.startsWith('<')
}

const buildsBundle = (command: string) => /^npm run build:lambda\b/.test(command)
const deploysService = (command: string) => /^copilot\s+(svc\s+)?deploy\b/.test(command)
const deploysEnvironment = (command: string) => /^copilot\s+env\s+deploy\b/.test(command)

const pages = [
  'README.md',
  ...readdirSync(repoPath('docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
]

describe('deploy instructions', () => {
  it('when docs/deploy.md is read, then its commands deploy the receiver, so the check below bites', () => {
    const commands = shellCommands(readFileSync(repoPath('docs/deploy.md'), 'utf8'))
    expect(commands.filter(deploysReceiver).length).toBeGreaterThan(0)
    expect(commands).toContain('make deploy')
  })

  it.each(pages)(
    'when %s is followed top to bottom, then the Lambda bundle is built before the first receiver deploy',
    (page) => {
      const commands = shellCommands(readFileSync(repoPath(page), 'utf8'))
      const firstDeploy = commands.findIndex(deploysReceiver)
      if (firstDeploy === -1) return
      const firstBuild = commands.findIndex(buildsBundle)
      expect(
        firstBuild,
        `${page}: npm run build:lambda before "${commands[firstDeploy]}"`,
      ).not.toBe(-1)
      expect(firstBuild).toBeLessThan(firstDeploy)
    },
  )

  it('when docs/deploy.md is followed top to bottom, then the environment, with the orders table, is deployed before any service', () => {
    const commands = shellCommands(readFileSync(repoPath('docs/deploy.md'), 'utf8'))
    const firstService = commands.findIndex(deploysService)
    const firstEnvironment = commands.findIndex(deploysEnvironment)
    expect(firstService).not.toBe(-1)
    expect(firstEnvironment, 'copilot env deploy is missing').not.toBe(-1)
    expect(firstEnvironment).toBeLessThan(firstService)
  })

  it('when npm run build:lambda runs, then it is the root script that builds the bundle', () => {
    const scripts = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')).scripts
    expect(scripts['build:lambda']).toMatch(/\bbuild:lambda\b.*-w processor/)
  })

  it('when make deploy runs, then all it does after the dependencies is scripts/deploy.sh', () => {
    // Under `make test` this runs inside make: its variables would make this a sub-make, which
    // prints the directories it enters and takes the caller's flags.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(MAKELEVEL|MAKEFLAGS|MFLAGS)$/.test(name)),
    )
    const dryRun = spawnSync('make', ['--no-print-directory', '-n', 'deploy'], {
      cwd: repoPath(''),
      encoding: 'utf8',
      env,
    })
    expect(dryRun.status, dryRun.stderr).toBe(0)
    expect(dryRun.stdout.trim().split('\n').at(-1)).toBe('scripts/deploy.sh')
  })
})

describe('reading the commands of a page', () => {
  it('when a block has comments and continuations, then each command comes out whole', () => {
    const page = '```sh\nnpm ci   # deps\ncopilot svc deploy \\\n  --name receiver\n```\n'
    expect(shellCommands(page)).toEqual(['npm ci', 'copilot svc deploy --name receiver'])
  })

  it.each([
    ['copilot svc deploy --name receiver --env dev', true],
    ['copilot svc deploy -n receiver', true],
    ['copilot svc deploy --name <service> --env dev', true],
    ['copilot deploy', true],
    ['copilot svc deploy --name processor --env dev', false],
    ['copilot env deploy --name dev', false],
  ])('when the command is `%s`, then deploysReceiver is %s', (command, expected) => {
    expect(deploysReceiver(command)).toBe(expected)
  })
})
