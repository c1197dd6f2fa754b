import { describe, expect, it } from 'vitest'
import { createPermits } from '../src/permits.ts'

const never = () => new AbortController().signal

describe('permits (requests at the table at once)', () => {
  it('when the limit is reached, then the next waits for a release, first come first served', async () => {
    const permits = createPermits(1)
    await permits.acquire(never())
    const order: string[] = []
    const second = permits.acquire(never()).then(() => order.push('second'))
    const third = permits.acquire(never()).then(() => order.push('third'))
    await Promise.resolve()
    expect(order).toEqual([])
    permits.release()
    await second
    permits.release()
    await third
    expect(order).toEqual(['second', 'third'])
  })

  it('when a waiting request times out, then it fails and gives up its place in the line', async () => {
    const permits = createPermits(1)
    await permits.acquire(never())
    const timingOut = new AbortController()
    const waiting = permits.acquire(timingOut.signal)
    const next = permits.acquire(never())
    timingOut.abort(new Error('timed out'))
    await expect(waiting).rejects.toThrow('timed out')
    permits.release()
    await expect(next).resolves.toBeUndefined()
  })
})
