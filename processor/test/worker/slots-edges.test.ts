import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSlots } from '../../src/worker/slots.ts'

// The linger decision at its edges: the rate is that of the last whole 250 ms window, and a take
// lingers its full time only when that rate gathers at least 3 more slots in it.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

function watch(taking: Promise<number>) {
  const seen: { taken?: number } = {}
  void taking.then((n) => {
    seen.taken = n
  })
  return seen
}

// A pool of `total` slots, all taken, of which `freed` came free `windowMs` ago.
async function afterFreeing(total: number, freed: number, windowMs: number) {
  const slots = createSlots(total)
  slots.takeFree(total)
  slots.release(freed)
  await vi.advanceTimersByTimeAsync(windowMs)
  slots.takeFree(freed)
  return slots
}

// How long a take(10, lingerMs) waits once one slot is free, to the millisecond.
async function lingerOf(slots: ReturnType<typeof createSlots>, lingerMs: number) {
  const taking = watch(slots.take(10, lingerMs))
  slots.release()
  for (let waited = 0; waited <= lingerMs; waited++) {
    await vi.advanceTimersByTimeAsync(waited === 0 ? 0 : 1)
    if (taking.taken !== undefined) return waited
  }
  return Number.POSITIVE_INFINITY
}

describe('order slots, the linger decision', () => {
  it('when slots freed fast in a window that has not closed yet, then take lingers only 5 ms', async () => {
    expect(await lingerOf(await afterFreeing(100, 100, 100), 20)).toBe(5)
  })

  it('when a whole window freed few slots, then take lingers only 5 ms', async () => {
    expect(await lingerOf(await afterFreeing(10, 2, 250), 20)).toBe(5)
  })

  it('when the last window freed exactly enough to gather 3 slots in the linger, then it lingers it all', async () => {
    // 125 in 250 ms: 0.5 a millisecond, 3 in a 6 ms linger.
    expect(await lingerOf(await afterFreeing(200, 125, 250), 6)).toBe(6)
  })

  it('when a take may not linger, then it resolves with what is free without a timer', async () => {
    const slots = createSlots(4)
    slots.takeFree(3)
    const taking = watch(slots.take(4, 0))
    expect(vi.getTimerCount()).toBe(0)
    await Promise.resolve()
    expect(taking.taken).toBe(1)
  })

  it('when a lingering take gets all it asked for, then its linger timer is gone', async () => {
    const slots = createSlots(4)
    slots.takeFree(4)
    const taking = slots.take(4, 1000)
    slots.release()
    expect(vi.getTimerCount()).toBe(1)
    slots.release(3)
    expect(await taking).toBe(4)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('when closed while a take lingers, then no timer is left and takeFree gets nothing', async () => {
    const slots = createSlots(4)
    slots.takeFree(4)
    const taking = slots.take(4, 1000)
    slots.release(2)
    expect(slots.takeFree(2)).toBe(0)
    slots.close()
    expect(await taking).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(slots.takeFree(2)).toBe(0)
  })
})
