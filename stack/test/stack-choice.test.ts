import { afterAll, describe, expect, it } from 'vitest'
import { up } from '../src/stack-commands.ts'
import { modern, ready } from './fake-docker.ts'
import { stackRunner } from './stack-run.ts'

const runner = stackRunner()
afterAll(() => runner.remove())
const stack = runner.run

describe('make up, in auto mode', () => {
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
    async (machine, why) => {
      const result = await stack(up, machine)
      expect(result.status).toBe(0)
      const lines = result.stdout.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain('make up: embedded stack')
      expect(lines[0]).toContain(`because ${why}`)
      expect(result.embeddedStarts).toBe(1)
      expect(result.calls).not.toMatch(/compose .*\bup\b/)
    },
  )

  it('when an image is missing, then it tries to pull it and says so on stderr', async () => {
    const result = await stack(up, modern)
    expect(result.calls).toContain('docker pull localstack/localstack:4.14.0')
    expect(result.stderr).toBe('pulling localstack/localstack:4.14.0 ...')
  })

  it('when Engine 20.10 with compose v2 has every image, then it starts the compose stack', async () => {
    const result = await stack(up, {
      ...ready,
      FAKE_ENGINE: '20.10.24+dfsg1',
      FAKE_COMPOSE: '2.26.1-4',
    })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain(
      'make up: Docker Compose stack (localstack, receiver, processor)',
    )
    expect(result.calls).toContain(
      'docker compose -f docker-compose.yml up --build --wait --detach',
    )
    expect(result.embeddedStarts).toBe(0)
    expect(result.stdout).toContain('Stack is up: receiver http://127.0.0.1:18080')
    expect(result.stdout).toContain('  curl -s http://127.0.0.1:18080/health')
  })

  it("when EMULATOR=fauxqs, then LocalStack's image is not needed and the fauxqs file is added", async () => {
    const result = await stack(up, modern, { EMULATOR: 'fauxqs' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.calls).toContain(
      'docker compose -f docker-compose.yml -f docker-compose.fauxqs.yml up --build --wait --detach',
    )
    expect(result.calls).not.toContain('localstack/localstack')
  })

  it('when NODE_IMAGE names a stand-in that is here, then that is the base image checked', async () => {
    const machine = { ...modern, FAKE_IMAGES: 'mirror/node:24' }
    expect((await stack(up, machine, { EMULATOR: 'fauxqs' })).stdout).toContain(
      'node:24-alpine is not here',
    )
    const result = await stack(up, machine, { EMULATOR: 'fauxqs', NODE_IMAGE: 'mirror/node:24' })
    expect(result.calls).toContain('docker image inspect mirror/node:24')
    expect(result.calls).toContain('compose -f docker-compose.yml -f docker-compose.fauxqs.yml up')
  })
})

describe('make up STACK=compose', () => {
  it('when compose cannot start the stack, then it fails loudly and starts nothing', async () => {
    const result = await stack(up, { ...modern, FAKE_ENGINE: '19.03.8' }, { STACK: 'compose' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      'cannot start the compose stack: Docker Engine 19.03.8 is older than 20.10.',
    )
    expect(result.embeddedStarts).toBe(0)
    expect(result.calls).not.toMatch(/compose .*\bup\b/)
  })
})

describe('make up PROCESSOR=lambda', () => {
  it('when compose could run, then the embedded stack starts all the same, saying why', async () => {
    const result = await stack(up, ready, { PROCESSOR: 'lambda' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('embedded stack')
    expect(result.stdout).toContain('as PROCESSOR=lambda needs')
    // STACK=compose is refused with PROCESSOR=lambda, so the line must not offer it.
    expect(result.stdout).not.toContain('STACK=compose forces Docker')
    expect(result.embeddedStarts).toBe(1)
    expect(result.calls).not.toMatch(/compose .*\bup\b/)
  })

  it('when STACK=compose is asked too, then it refuses and starts nothing', async () => {
    const result = await stack(up, ready, { PROCESSOR: 'lambda', STACK: 'compose' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('PROCESSOR=lambda runs only in the embedded stack')
    expect(result.embeddedStarts).toBe(0)
    expect(result.calls).toBe('')
  })
})
