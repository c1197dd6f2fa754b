import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoPath } from './copilot.ts'

// A copy of the repository as far as scripts/deploy.sh reads it, and stand-ins for the commands it
// runs: each records its arguments, one line per call, in calls.log.
const repo = mkdtempSync(join(tmpdir(), 'deploy-script-'))
const bin = join(repo, 'bin')
const calls = join(repo, 'calls.log')
const state = join(repo, 'copilot-state')
for (const dir of ['scripts', 'copilot/environments/dev', 'node_modules/esbuild', 'bin']) {
  mkdirSync(join(repo, dir), { recursive: true })
}
copyFileSync(repoPath('scripts/deploy.sh'), join(repo, 'scripts/deploy.sh'))
copyFileSync(
  repoPath('copilot/environments/dev/manifest.yml'),
  join(repo, 'copilot/environments/dev/manifest.yml'),
)

// A copilot that remembers what was initialised (`show` fails until `init` ran) and whose
// `package` writes a template with the Lambda runtime FAKE_RUNTIME.
writeFileSync(
  join(bin, 'copilot'),
  `#!/bin/sh
echo "copilot $*" >> "${calls}"
mkdir -p "${state}"
name=''; out=''; prev=''
for arg in "$@"; do
  case "$prev" in --name) name=$arg ;; --output-dir) out=$arg ;; esac
  prev=$arg
done
[ "$1" = app ] && [ "$2" = init ] && name=$3
case "$2" in
  show) [ -f "${state}/$1-$name" ] ;;
  init) touch "${state}/$1-$name" ;;
  package) mkdir -p "$out" && printf 'Resources:\\n  Fn:\\n    Properties:\\n      Runtime: %s\\n' "\${FAKE_RUNTIME:-nodejs24.x}" > "$out/stack.yml" ;;
esac
`,
)
writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho "docker $*" >> "${calls}"\n`)
writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> "${calls}"\n`)
for (const name of ['copilot', 'docker', 'npm']) chmodSync(join(bin, name), 0o755)

afterAll(() => rmSync(repo, { recursive: true, force: true }))

// Runs the script in a fresh account (nothing initialised), with only the variables given: no
// AWS setting of this machine leaks in.
function deploySh(env: Record<string, string> = {}) {
  rmSync(calls, { force: true })
  rmSync(state, { recursive: true, force: true })
  const result = spawnSync('bash', [join(repo, 'scripts/deploy.sh')], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: repo, ...env },
  })
  const log = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []
  return { ...result, calls: log }
}

const receiverDeploy = (call: string) =>
  /^copilot svc deploy\b/.test(call) && /--name receiver\b/.test(call)

describe('scripts/deploy.sh (make deploy)', () => {
  it('when it deploys to a fresh account, then the Lambda bundle is built before any stack is touched', () => {
    const run = deploySh()
    expect(run.status, run.stderr).toBe(0)
    const build = run.calls.indexOf('npm run build:lambda')
    const firstCopilot = run.calls.findIndex((call) => call.startsWith('copilot '))
    expect(build).toBeGreaterThanOrEqual(0)
    expect(build).toBeLessThan(firstCopilot)
    expect(build).toBeLessThan(run.calls.findIndex(receiverDeploy))
  })

  it('when it deploys, then the environment, the receiver and the processor follow in that order', () => {
    const deploys = deploySh().calls.filter((call) => /^copilot (env|svc) deploy\b/.test(call))
    expect(deploys).toEqual([
      'copilot env deploy --app orders --name dev',
      'copilot svc deploy --app orders --name receiver --env dev',
      'copilot svc deploy --app orders --name processor --env dev',
    ])
  })

  it('when a packaged stack still has a function on nodejs20.x, then nothing of it is deployed', () => {
    const run = deploySh({ FAKE_RUNTIME: 'nodejs20.x' })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('deprecated runtime')
    expect(run.calls.filter((call) => / deploy /.test(call))).toEqual([])
  })

  const envInit = (env: Record<string, string>) => {
    const run = deploySh(env)
    expect(run.status, run.stderr).toBe(0)
    const inits = run.calls.filter((call) => call.startsWith('copilot env init '))
    expect(inits).toHaveLength(1)
    return inits[0] ?? ''
  }

  it('when AWS_PROFILE and AWS_REGION are unset (credentials in variables), then env init is given neither', () => {
    const init = envInit({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example' })
    expect(init).toBe('copilot env init --app orders --name dev --default-config')
  })

  it('when AWS_PROFILE is set, then env init uses that profile', () => {
    expect(envInit({ AWS_PROFILE: 'orders-admin' })).toBe(
      'copilot env init --app orders --name dev --profile orders-admin --default-config',
    )
  })

  it('when AWS_REGION is set, then env init is given it and does not ask for one', () => {
    expect(envInit({ AWS_REGION: 'eu-west-1' })).toBe(
      'copilot env init --app orders --name dev --region eu-west-1 --default-config',
    )
    expect(envInit({ AWS_PROFILE: 'orders-admin', AWS_REGION: 'eu-west-1' })).toBe(
      'copilot env init --app orders --name dev --profile orders-admin --region eu-west-1 --default-config',
    )
  })
})
