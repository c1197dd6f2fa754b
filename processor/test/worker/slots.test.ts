import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSlots } from '../../src/worker/slots.ts'

afterEach(() => {
  vi.useRealTimers()
})

// Follows a take() without awaiting it, so a test can check it has not resolved yet.
function watch(taking: Promise<number>) {
  const seen: { taken?: number } = {}
  void taking.then((n) => {
    seen.taken = n
  })
  return seen
}

describe('order slots', () => {
  it('when enough slots are free, then take gets up to max at once', async () => {
    const slots = createSlots(25)
    expect(await slots.take(10, 50)).toBe(10)
    expect(await slots.take(10, 50)).toBe(10)
    expect(slots.takeFree(10)).toBe(5)
    expect(slots.takeFree(10)).toBe(0)
  })

  it('when slots free fast, then take waits the linger for more and takes what freed', async () => {
    vi.useFakeTimers()
    const slots = createSlots(100)
    // 100 freed in 250 ms: 0.4 a millisecond, so a 20 ms linger should gather about 8 more.
    slots.takeFree(100)
    slots.release(100)
    await vi.advanceTimersByTimeAsync(250)
    expect(slots.takeFree(100)).toBe(100)
    const taking = watch(slots.take(10, 20))
    slots.release()
    await vi.advanceTimersByTimeAsync(10)
    slots.release(2)
    expect(taking.taken).toBeUndefined()
    await vi.advanceTimersByTimeAsync(10)
    expect(taking.taken).toBe(3)
  })

  it('when slots free slowly, then take lingers only for those finishing together', async () => {
    vi.useFakeTimers()
    const slots = createSlots(10)
    slots.takeFree(10)
    const taking = watch(slots.take(10, 1000))
    slots.release()
    await vi.advanceTimersByTimeAsync(3)
    slots.release()
    expect(taking.taken).toBeUndefined()
    await vi.advanceTimersByTimeAsync(2)
    expect(taking.taken).toBe(2)
  })

  it('when max slots free during the linger, then take returns without waiting it out', async () => {
    vi.useFakeTimers()
    const slots = createSlots(4)
    slots.takeFree(4)
    const taking = slots.take(4, 1000)
    slots.release(1)
    slots.release(3)
    expect(await taking).toBe(4)
  })

  it('when max exceeds the slots that exist, then take does not linger for the rest', async () => {
    vi.useFakeTimers()
    const slots = createSlots(1)
    slots.takeFree(1)
    const taking = slots.take(10, 1000)
    slots.release()
    expect(await taking).toBe(1)
  })

  it('when someone waits, then takeFree leaves the freed slots to them, first come first served', async () => {
    const slots = createSlots(2)
    slots.takeFree(2)
    const first = slots.take(1, 0)
    const second = slots.take(1, 0)
    expect(slots.takeFree(1)).toBe(0)
    slots.release(2)
    expect(await Promise.all([first, second])).toEqual([1, 1])
  })

  it('when closed, then waiters and later takes get 0', async () => {
    const slots = createSlots(1)
    slots.takeFree(1)
    const waiting = slots.take(10, 5)
    slots.close()
    expect(await waiting).toBe(0)
    slots.release()
    expect(await slots.take(1, 0)).toBe(0)
  })
})

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

// The linger decision at its edges: the rate is that of the last whole 250 ms window, and a take
// lingers its full time only when that rate gathers at least 2 more slots in it.
describe('order slots, the linger decision', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  })

  it('when slots freed fast in a window that has not closed yet, then take lingers only 5 ms', async () => {
    expect(await lingerOf(await afterFreeing(100, 100, 100), 20)).toBe(5)
  })

  it('when a whole window freed few slots, then take lingers only 5 ms', async () => {
    expect(await lingerOf(await afterFreeing(10, 2, 250), 20)).toBe(5)
  })

  it('when the last window freed exactly enough to gather 2 slots in the linger, then it lingers it all', async () => {
    // 50 in 250 ms: 0.2 a millisecond, 2 in a 10 ms linger.
    expect(await lingerOf(await afterFreeing(200, 50, 250), 10)).toBe(10)
  })

  it('when the last window freed just too few to gather 2 slots in the linger, then it lingers 5 ms', async () => {
    // 49 in 250 ms: 1.96 in a 10 ms linger.
    expect(await lingerOf(await afterFreeing(200, 49, 250), 10)).toBe(5)
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

  it('when a slot frees just as the window closes, then it counts in the next window, not the last', async () => {
    // 49 in the last window: 1.96 in a 10 ms linger, short of 2; with the late one, 2 exactly.
    const slots = await afterFreeing(200, 49, 250)
    slots.release()
    slots.takeFree(1)
    expect(await lingerOf(slots, 10)).toBe(5)
  })
})
