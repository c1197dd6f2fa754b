import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('../../scripts/stack.sh', import.meta.url))
const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'))
const calls = join(bin, 'calls.log')

// A docker command that plays a given machine: FAKE_ENGINE is the server version (empty: no
// engine answers), FAKE_COMPOSE the compose plugin's (empty: no plugin), FAKE_IMAGES the images
// already here; pulls always fail, as offline. It records its calls; so does the fake npm.
writeFileSync(
  join(bin, 'docker'),
  `#!/bin/sh
echo "docker $*" >> "${calls}"
case "$1" in
  info) [ -n "$FAKE_ENGINE" ] ;;
  version) [ -n "$FAKE_ENGINE" ] && echo "$FAKE_ENGINE" ;;
  image) for image in $FAKE_IMAGES; do [ "$image" = "$3" ] && exit 0; done; exit 1 ;;
  pull) echo "Error response from daemon: Get \\"https://registry/v2/\\": no such host" >&2; exit 1 ;;
  compose)
    [ -n "$FAKE_COMPOSE" ] || { echo "docker: 'compose' is not a docker command." >&2; exit 1; }
    case "$*" in
      *"version --short"*) echo "$FAKE_COMPOSE" ;;
      *" port "*) echo "127.0.0.1:18080" ;;
    esac ;;
esac
`,
)
writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> "${calls}"\n`)
for (const name of ['docker', 'npm']) chmodSync(join(bin, name), 0o755)

type Machine = { FAKE_ENGINE?: string; FAKE_COMPOSE?: string; FAKE_IMAGES?: string }
const modern = { FAKE_ENGINE: '28.2.2', FAKE_COMPOSE: '2.26.1', FAKE_IMAGES: 'node:24-alpine' }

function stackSh(
  command: string,
  machine: Machine,
  env: Record<string, string> = {},
  copy = script,
) {
  rmSync(calls, { force: true })
  const result = spawnSync('bash', [copy, command], {
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
      FAKE_ENGINE: '',
      FAKE_COMPOSE: '',
      FAKE_IMAGES: '',
      ...machine,
      ...env,
    },
  })
  const log = (() => {
    try {
      return readFileSync(calls, 'utf8')
    } catch {
      return ''
    }
  })()
  return { ...result, calls: log }
}

afterAll(() => rmSync(bin, { recursive: true, force: true }))

describe('scripts/stack.sh up, in auto mode', () => {
  it.each([
    [{}, 'no Docker engine answers'],
    [{ ...modern, FAKE_ENGINE: '19.03.8' }, 'Docker Engine 19.03.8 is older than 20.10'],
    [{ ...modern, FAKE_COMPOSE: '' }, 'the Docker Compose v2 plugin is missing'],
    [{ ...modern, FAKE_COMPOSE: '2.20.2' }, 'Docker Compose 2.20.2 is older than 2.24.4'],
    [
      modern,
      'image localstack/localstack:4.14.0 is not here and cannot be pulled (offline, or no registry access)',
    ],
  ])(
    'when the machine is %j, then it starts the embedded stack saying why in one line',
    (machine, why) => {
      const result = stackSh('up', machine)
      expect(result.status).toBe(0)
      const lines = result.stdout.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain('make up: embedded stack')
      expect(lines[0]).toContain(`because ${why}`)
      expect(result.calls).toContain('npm run up')
      expect(result.calls).not.toMatch(/compose .*\bup\b/)
    },
  )

  it('when Engine 20.10 with compose v2 has every image, then it starts the compose stack', () => {
    const result = stackSh('up', {
      ...modern,
      FAKE_ENGINE: '20.10.24+dfsg1',
      FAKE_COMPOSE: '2.26.1-4',
      FAKE_IMAGES: 'node:24-alpine localstack/localstack:4.14.0',
    })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain(
      'make up: Docker Compose stack (localstack, receiver, processor)',
    )
    expect(result.calls).toContain(
      'docker compose -f docker-compose.yml up --build --wait --detach',
    )
    expect(result.calls).not.toContain('npm run up')
  })

  it("when EMULATOR=fauxqs, then LocalStack's image is not needed and the fauxqs file is added", () => {
    const result = stackSh('up', modern, { EMULATOR: 'fauxqs' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.calls).toContain(
      'docker compose -f docker-compose.yml -f docker-compose.fauxqs.yml up --build --wait --detach',
    )
    expect(result.calls).not.toContain('localstack/localstack')
  })

  it('when NODE_IMAGE names a stand-in that is here, then that is the base image checked', () => {
    const machine = { ...modern, FAKE_IMAGES: 'mirror/node:24' }
    expect(stackSh('up', machine, { EMULATOR: 'fauxqs' }).stdout).toContain(
      'node:24-alpine is not here',
    )
    const result = stackSh('up', machine, { EMULATOR: 'fauxqs', NODE_IMAGE: 'mirror/node:24' })
    expect(result.calls).toContain('docker image inspect mirror/node:24')
    expect(result.calls).toContain('compose -f docker-compose.yml -f docker-compose.fauxqs.yml up')
  })
})

describe('scripts/stack.sh up STACK=compose', () => {
  it('when compose cannot start the stack, then it fails loudly and starts nothing', () => {
    const result = stackSh('up', { ...modern, FAKE_ENGINE: '19.03.8' }, { STACK: 'compose' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      'cannot start the compose stack: Docker Engine 19.03.8 is older than 20.10.',
    )
    expect(result.calls).not.toContain('npm run up')
    expect(result.calls).not.toMatch(/compose .*\bup\b/)
  })
})

describe('scripts/stack.sh', () => {
  it('when EMULATOR is neither localstack nor fauxqs, then it refuses at once', () => {
    const result = stackSh('up', modern, { EMULATOR: 'moto' })
    expect(result.status).toBe(2)
    expect(result.stderr).toContain("EMULATOR must be localstack or fauxqs, not 'moto'")
    expect(result.calls).toBe('')
  })

  it('when down runs, then containers of either emulator and their volumes go', () => {
    const result = stackSh('down', modern, { STACK: 'compose' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.calls).toContain(
      'docker compose -f docker-compose.yml -f docker-compose.fauxqs.yml --profile localstack down --volumes --remove-orphans',
    )
  })
})

describe('scripts/stack.sh up PROCESSOR=lambda', () => {
  const ready = { ...modern, FAKE_IMAGES: 'node:24-alpine localstack/localstack:4.14.0' }

  it('when compose could run, then the embedded stack starts all the same, saying why', () => {
    const result = stackSh('up', ready, { PROCESSOR: 'lambda' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('embedded stack')
    expect(result.stdout).toContain('as PROCESSOR=lambda needs')
    // STACK=compose is refused with PROCESSOR=lambda, so the line must not offer it.
    expect(result.stdout).not.toContain('STACK=compose forces Docker')
    expect(result.calls).toContain('npm run up')
    expect(result.calls).not.toMatch(/compose .*\bup\b/)
  })

  it('when STACK=compose is asked too, then it refuses and starts nothing', () => {
    const result = stackSh('up', ready, { PROCESSOR: 'lambda', STACK: 'compose' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('PROCESSOR=lambda runs only in the embedded stack')
    expect(result.calls).toBe('')
  })
})

describe('scripts/stack.sh settings in .env', () => {
  // A copy of the repository's script and compose files beside a .env of the test's own, so the
  // repository's .env (read by other tests) is never touched.
  const repo = mkdtempSync(join(tmpdir(), 'stack-dotenv-'))
  mkdirSync(join(repo, 'scripts'))
  copyFileSync(script, join(repo, 'scripts/stack.sh'))
  for (const file of ['docker-compose.yml', 'docker-compose.fauxqs.yml']) {
    copyFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), join(repo, file))
  }
  const copy = join(repo, 'scripts/stack.sh')
  afterAll(() => rmSync(repo, { recursive: true, force: true }))

  it('when .env says PROCESSOR=lambda, then make up starts the embedded stack as the shell would', () => {
    writeFileSync(join(repo, '.env'), 'PROCESSOR=lambda\n')
    const ready = { ...modern, FAKE_IMAGES: 'node:24-alpine localstack/localstack:4.14.0' }
    const result = stackSh('up', ready, {}, copy)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('as PROCESSOR=lambda needs')
    expect(result.calls).toContain('npm run up')
  })

  it('when .env says EMULATOR=fauxqs and the shell nothing, then the fauxqs file is added', () => {
    writeFileSync(join(repo, '.env'), "EMULATOR='fauxqs'\n")
    const result = stackSh('up', modern, {}, copy)
    expect(result.status, result.stderr).toBe(0)
    expect(result.calls).toContain('-f docker-compose.fauxqs.yml up --build --wait --detach')
  })

  it('when the shell and .env disagree, then the shell wins', () => {
    writeFileSync(join(repo, '.env'), 'EMULATOR=fauxqs\n')
    const ready = { ...modern, FAKE_IMAGES: 'node:24-alpine localstack/localstack:4.14.0' }
    const result = stackSh('up', ready, { EMULATOR: 'localstack' }, copy)
    expect(result.calls).toContain('docker compose -f docker-compose.yml up --build')
  })
})
