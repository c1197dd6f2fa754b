import { describe, expect, it } from 'vitest'
import { createSlots } from '../../src/worker/slots.ts'

// Follows a take() without awaiting it, so a test can check it has not resolved yet.
function watch(taking: Promise<number>) {
  const seen: { taken?: number } = {}
  void taking.then((n) => {
    seen.taken = n
  })
  return seen
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

// A budget of `total`, all of it taken, with hunger as given.
function exhausted(total: number, hungry: boolean) {
  const slots = createSlots(total)
  slots.takeFree(total)
  slots.setHungry(hungry)
  return slots
}

describe('the receive budget', () => {
  it('when enough is free, then take gets max at once and takeFree the rest', async () => {
    const slots = createSlots(25)
    expect(await slots.take(10)).toBe(10)
    expect(await slots.take(10)).toBe(10)
    expect(slots.takeFree(10)).toBe(5)
    expect(slots.takeFree(10)).toBe(0)
  })

  it('when messages wait ahead, then take waits for a whole batch however it frees', async () => {
    const slots = exhausted(20, false)
    const taking = watch(slots.take(10))
    slots.release(3)
    slots.release(6)
    await settle()
    expect(taking.taken).toBeUndefined()
    slots.release()
    await settle()
    expect(taking.taken).toBe(10)
  })

  it('when the pool turns hungry, then a waiting take gets what is free at once', async () => {
    const slots = exhausted(20, false)
    const taking = watch(slots.take(10))
    slots.release(3)
    await settle()
    expect(taking.taken).toBeUndefined()
    slots.setHungry(true)
    await settle()
    expect(taking.taken).toBe(3)
  })

  it('when hungry and nothing is free, then take waits for the first release only', async () => {
    const slots = exhausted(20, true)
    const taking = watch(slots.take(10))
    await settle()
    expect(taking.taken).toBeUndefined()
    slots.release()
    await settle()
    expect(taking.taken).toBe(1)
  })

  it('when max exceeds the budget, then take waits for all of it, not more', async () => {
    const slots = exhausted(4, false)
    const taking = slots.take(10)
    slots.release(4)
    expect(await taking).toBe(4)
  })

  it('when two wait, then the first takes first and takeFree leaves them the freed budget', async () => {
    const slots = exhausted(20, false)
    const first = watch(slots.take(10))
    const second = watch(slots.take(10))
    slots.release(15)
    expect(slots.takeFree(5)).toBe(0)
    await settle()
    expect(first.taken).toBe(10)
    expect(second.taken).toBeUndefined()
    slots.release(5)
    await settle()
    expect(second.taken).toBe(10)
  })

  it('when closed, then waiters and later takes get 0 and takeFree nothing', async () => {
    const slots = exhausted(4, false)
    const waiting = slots.take(4)
    slots.release(2)
    slots.close()
    expect(await waiting).toBe(0)
    expect(await slots.take(1)).toBe(0)
    expect(slots.takeFree(2)).toBe(0)
  })
})
