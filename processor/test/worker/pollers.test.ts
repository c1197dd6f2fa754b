import { describe, expect, it } from 'vitest'
import { aheadFor, pollersFor, SLOTS_PER_POLLER } from '../../src/worker/pollers.ts'

describe('pollers per processor', () => {
  it('when the concurrency grows, then one more poller starts past each SLOTS_PER_POLLER slots', () => {
    const concurrencies = [1, SLOTS_PER_POLLER, SLOTS_PER_POLLER + 1, 1000, 2000]
    expect(concurrencies.map(pollersFor)).toEqual([1, 1, 2, 20, 40])
  })

  it('when the concurrency grows, then a batch per poller and one more wait ahead, never more than the slots', () => {
    const concurrencies = [1, 10, 19, SLOTS_PER_POLLER, SLOTS_PER_POLLER + 1, 1000]
    expect(concurrencies.map(aheadFor)).toEqual([1, 10, 19, 20, 30, 210])
  })
})
