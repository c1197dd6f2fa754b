import { afterEach, describe, expect, it, vi } from 'vitest'
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
