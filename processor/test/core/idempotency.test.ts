import { describe, expect, it } from 'vitest'
import { createIdempotencyRecord } from '../../src/core/idempotency.ts'

describe('idempotency record', () => {
  it('when an order id completed before, then the work is not run again', async () => {
    const record = createIdempotencyRecord()
    let runs = 0
    const work = async () => {
      runs += 1
    }
    expect(await record.run('a', work)).toBe('ran')
    expect(await record.run('a', work)).toBe('duplicate')
    expect(runs).toBe(1)
  })

  it('when a twin arrives while the first is running, then it waits and does not run', async () => {
    const record = createIdempotencyRecord()
    let release = () => {}
    let runs = 0
    const work = () => {
      runs += 1
      return new Promise<void>((resolve) => {
        release = resolve
      })
    }
    const first = record.run('a', work)
    const twin = record.run('a', work)
    release()
    expect(await Promise.all([first, twin])).toEqual(['ran', 'duplicate'])
    expect(runs).toBe(1)
  })

  it('when the work fails, then the order is not recorded and the next delivery runs it', async () => {
    const record = createIdempotencyRecord()
    await expect(
      record.run('a', () => Promise.reject(new Error('card declined'))),
    ).rejects.toThrow()
    expect(await record.run('a', async () => {})).toBe('ran')
  })

  it('when capacity is exceeded, then the oldest ids are forgotten first', async () => {
    const record = createIdempotencyRecord(2)
    const noop = async () => {}
    for (const id of ['a', 'b', 'c']) await record.run(id, noop)
    expect(await record.run('c', noop)).toBe('duplicate')
    expect(await record.run('b', noop)).toBe('duplicate')
    expect(await record.run('a', noop)).toBe('ran')
  })
})
