import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ConfigError, logLevel, parseEnv, port } from '../src/config.ts'

const schema = z.object({ PORT: port.default(8080), LOG_LEVEL: logLevel })

describe('parseEnv', () => {
  it('when the environment is valid, then it returns the parsed values with defaults', () => {
    expect(parseEnv(schema, { PORT: '9000' }, 'svc')).toEqual({ PORT: 9000, LOG_LEVEL: 'info' })
  })

  it('when two variables are bad, then one ConfigError line names both, with who reads them', () => {
    const read = () => parseEnv(schema, { PORT: 'eighty', LOG_LEVEL: 'loud' }, 'svc')
    expect(read).toThrow(ConfigError)
    expect(read).toThrow(/^svc: invalid configuration: PORT: .+; LOG_LEVEL: .+$/)
    try {
      read()
    } catch (err) {
      expect((err as Error).message).not.toContain('\n')
    }
  })

  it('when a port is out of range, then the message names it', () => {
    expect(() => parseEnv(schema, { PORT: '70000' }, 'svc')).toThrow('PORT:')
  })
})

describe('parseEnvOrExit', () => {
  it('when a variable is bad, then the process prints one line naming it and exits 1', () => {
    const script = `
      const { parseEnvOrExit, port } = await import(${JSON.stringify(new URL('../src/config.ts', import.meta.url).href)})
      const { z } = await import('zod')
      parseEnvOrExit(z.object({ PORT: port }), { PORT: 'x' }, 'tool')
      console.log('not reached')`
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: new URL('..', import.meta.url),
    })
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^tool: invalid configuration: PORT: /),
    ])
  })
})
