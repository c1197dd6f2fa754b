import { describe, expect, it } from 'vitest'
import { createErrorLog } from '../../src/worker/error-log.ts'
import { capturingLogger } from '../log-lines.ts'

// The bounded failure lines, at the edges an operator meets: a failure exactly one interval
// after the last line, and failures that are not Error objects.
function logged() {
  const { logger, logs } = capturingLogger()
  let now = 1_000
  const log = createErrorLog(logger, 'sqs receive', { intervalMs: 10_000, now: () => now })
  return { logs, log, advance: (ms: number) => (now += ms) }
}

describe('error log, at its edges', () => {
  it('when a failure comes exactly one interval after the last line, then it is logged', () => {
    const { logs, log, advance } = logged()
    log.failed(new Error('first'))
    advance(9_999)
    log.failed(new Error('too soon'))
    advance(1)
    log.failed(new Error('on time'))
    expect(logs.map((line) => [line.msg, line.failures, line.failingForMs])).toEqual([
      ['sqs receive failing; retrying with backoff', undefined, undefined],
      ['sqs receive still failing', 3, 10_000],
    ])
    expect(logs[1]).toMatchObject({ lastError: 'Error: on time' })
  })

  it('when what failed is not an Error, then the line holds it as text', () => {
    const { logs, log } = logged()
    log.failed('socket closed')
    expect(logs[0]).toMatchObject({ error: 'socket closed' })
  })

  it('when an Error has a code, then the line holds its name, code and message', () => {
    const { logs, log } = logged()
    log.failed(Object.assign(new TypeError('fetch failed'), { code: 'UND_ERR_SOCKET' }))
    expect(logs[0]).toMatchObject({ error: 'TypeError (UND_ERR_SOCKET): fetch failed' })
  })
})
