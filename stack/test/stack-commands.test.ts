import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { down, logs, ps, up } from '../src/stack-commands.ts'
import { modern, ready } from './fake-docker.ts'
import { stackRunner } from './stack-run.ts'

const runner = stackRunner()
afterEach(() => runner.noDotenv())
afterAll(() => runner.remove())
const stack = runner.run

describe('make down | logs | ps, and the settings every command reads', () => {
  it('when EMULATOR is neither localstack nor fauxqs, then it refuses at once', async () => {
    const result = await stack(up, modern, { EMULATOR: 'moto' })
    expect(result.status).toBe(2)
    expect(result.stderr).toContain("EMULATOR must be localstack or fauxqs, not 'moto'")
    expect(result.calls).toBe('')
  })

  it('when STACK is neither compose nor embedded, then logs refuses at once', async () => {
    const result = await stack(logs, modern, { STACK: 'swarm' })
    expect(result.status).toBe(2)
    expect(result.stderr).toContain("STACK must be compose or embedded, not 'swarm'")
    expect(result.calls).toBe('')
  })

  it('when down runs, then containers of either emulator and their volumes go', async () => {
    const result = await stack(down, modern, { STACK: 'compose' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.calls).toContain(
      'docker compose -f docker-compose.yml -f docker-compose.fauxqs.yml --profile localstack down --volumes --remove-orphans',
    )
  })

  it('when no engine answers, then logs and ps speak of the embedded stack', async () => {
    const logged = await stack(logs, {})
    expect(logged.status).toBe(0)
    expect(logged.stdout).toBe('The embedded stack logs to the terminal that runs `make up`.')
    const listed = await stack(ps, {})
    expect(listed.status).toBe(0)
    expect(listed.stdout).toMatch(/^embedded stack (not running|running \(pid \d+\))$/)
    expect(listed.calls).not.toContain('compose -f')
  })

  it('when STACK=compose and no engine answers, then logs says what is missing', async () => {
    const result = await stack(logs, {}, { STACK: 'compose' })
    expect(result.status).toBe(1)
    expect(result.stderr).toBe(
      'The compose stack needs a Docker engine, and `docker info` got no answer.',
    )
  })

  it('when an engine and compose answer, then ps lists the services of either emulator', async () => {
    const result = await stack(ps, modern)
    expect(result.status, result.stderr).toBe(0)
    expect(result.calls).toContain(
      'docker compose -f docker-compose.yml -f docker-compose.fauxqs.yml --profile localstack ps',
    )
  })
})

describe('make up settings in .env', () => {
  it('when .env says PROCESSOR=lambda, then make up starts the embedded stack as the shell would', async () => {
    runner.dotenv('PROCESSOR=lambda\n')
    const result = await stack(up, ready)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('as PROCESSOR=lambda needs')
    expect(result.embeddedStarts).toBe(1)
  })

  it('when .env says EMULATOR=fauxqs and the shell nothing, then the fauxqs file is added', async () => {
    runner.dotenv("EMULATOR='fauxqs'\n")
    const result = await stack(up, modern)
    expect(result.status, result.stderr).toBe(0)
    expect(result.calls).toContain('-f docker-compose.fauxqs.yml up --build --wait --detach')
  })

  it('when the shell and .env disagree, then the shell wins', async () => {
    runner.dotenv('EMULATOR=fauxqs\n')
    const result = await stack(up, ready, { EMULATOR: 'localstack' })
    expect(result.calls).toContain('docker compose -f docker-compose.yml up --build')
  })
})
