import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { BACKOFF_CAP_MS, backoffDelay } from '../../src/worker/backoff.ts'
import { createErrorLog } from '../../src/worker/error-log.ts'
import type { LogLine } from '../log-lines.ts'

describe('receive backoff', () => {
  it('when receives keep failing, then the delay bound doubles from 100 ms up to the 20 s cap', () => {
    const highest = (failures: number) => backoffDelay(failures, () => 0.999_999)
    expect(backoffDelay(0)).toBe(0)
    expect(highest(1)).toBe(99)
    expect(highest(2)).toBe(199)
    expect(highest(8)).toBe(12_799)
    expect(highest(9)).toBe(BACKOFF_CAP_MS - 1)
    expect(highest(5000)).toBe(BACKOFF_CAP_MS - 1)
  })

  it('when the random draw is low, then the delay is too (full jitter, not a fixed step)', () => {
    expect(backoffDelay(9, () => 0)).toBe(0)
    expect(backoffDelay(9, () => 0.5)).toBe(BACKOFF_CAP_MS / 2)
  })
})

describe('error log', () => {
  function logged() {
    const lines: LogLine[] = []
    let now = 0
    const log = createErrorLog(
      pino({}, { write: (line: string) => lines.push(JSON.parse(line)) }),
      'sqs receive',
      { intervalMs: 10_000, now: () => now },
    )
    return { lines, log, advance: (ms: number) => (now += ms) }
  }

  it('when 200 failures span 25 s, then it logs the first, one per 10 s, and the recovery', () => {
    const { lines, log, advance } = logged()
    for (let i = 0; i < 200; i++) {
      log.failed(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
      advance(125)
    }
    log.succeeded()
    expect(lines.map((l) => l.msg)).toEqual([
      'sqs receive failing; retrying with backoff',
      'sqs receive still failing',
      'sqs receive still failing',
      'sqs receive recovered',
    ])
    expect(lines[0]).toMatchObject({ error: 'Error (ECONNREFUSED): connect ECONNREFUSED' })
    expect(lines[0]).not.toHaveProperty('err')
    expect(lines[3]).toMatchObject({ failures: 200 })
  })

  it('when it fails again after recovering, then the first failure is logged again', () => {
    const { lines, log } = logged()
    log.succeeded()
    log.failed(new Error('a'))
    log.succeeded()
    log.failed(new Error('b'))
    expect(lines.map((l) => l.msg)).toEqual([
      'sqs receive failing; retrying with backoff',
      'sqs receive recovered',
      'sqs receive failing; retrying with backoff',
    ])
  })
})
