import { describe, expect, it } from 'vitest'
import { createReceiveBudget } from '../../src/worker/receive-budget.ts'

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
  const budget = createReceiveBudget(total)
  budget.takeFree(total)
  budget.setHungry(hungry)
  return budget
}

describe('the receive budget', () => {
  it('when enough is free, then take gets max at once and takeFree the rest', async () => {
    const budget = createReceiveBudget(25)
    expect(await budget.take(10)).toBe(10)
    expect(await budget.take(10)).toBe(10)
    expect(budget.takeFree(10)).toBe(5)
    expect(budget.takeFree(10)).toBe(0)
  })

  it('when messages wait ahead, then take waits for a whole batch however it frees', async () => {
    const budget = exhausted(20, false)
    const taking = watch(budget.take(10))
    budget.release(3)
    budget.release(6)
    await settle()
    expect(taking.taken).toBeUndefined()
    budget.release()
    await settle()
    expect(taking.taken).toBe(10)
  })

  it('when the pool turns hungry, then a waiting take gets what is free at once', async () => {
    const budget = exhausted(20, false)
    const taking = watch(budget.take(10))
    budget.release(3)
    await settle()
    expect(taking.taken).toBeUndefined()
    budget.setHungry(true)
    await settle()
    expect(taking.taken).toBe(3)
  })

  it('when hungry and nothing is free, then take waits for the first release only', async () => {
    const budget = exhausted(20, true)
    const taking = watch(budget.take(10))
    await settle()
    expect(taking.taken).toBeUndefined()
    budget.release()
    await settle()
    expect(taking.taken).toBe(1)
  })

  it('when max exceeds the budget, then take waits for all of it, not more', async () => {
    const budget = exhausted(4, false)
    const taking = budget.take(10)
    budget.release(4)
    expect(await taking).toBe(4)
  })

  it('when two wait, then the first takes first and takeFree leaves them the freed budget', async () => {
    const budget = exhausted(20, false)
    const first = watch(budget.take(10))
    const second = watch(budget.take(10))
    budget.release(15)
    expect(budget.takeFree(5)).toBe(0)
    await settle()
    expect(first.taken).toBe(10)
    expect(second.taken).toBeUndefined()
    budget.release(5)
    await settle()
    expect(second.taken).toBe(10)
  })

  it('when closed, then waiters and later takes get 0 and takeFree nothing', async () => {
    const budget = exhausted(4, false)
    const waiting = budget.take(4)
    budget.release(2)
    budget.close()
    expect(await waiting).toBe(0)
    expect(await budget.take(1)).toBe(0)
    expect(budget.takeFree(2)).toBe(0)
  })
})
