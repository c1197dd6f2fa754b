import { randomUUID } from 'node:crypto'
import { useTables } from '@orders/stack/tables'
import type { StoreHooks } from '@orders/store/store'
import { describe, expect, it } from 'vitest'

// A claim whose write finds the order held reads it to say why; what it reads may show the order
// freed meanwhile (a lease that ended, a release), and then the claim is tried once more, never
// more. The test's clock decides when a lease ends, at the moment a request returns.
const tables = useTables()
const LEASE_MS = 25_000

type Sample = Parameters<NonNullable<StoreHooks['request']>>[0]

async function storeOn(clock: () => number, onRequest: (sample: Sample) => void = () => {}) {
  const reasons: string[] = []
  const requests: string[] = []
  const { store } = await tables.newStore({
    now: clock,
    hooks: {
      conditionFailed: (operation, reason) => reasons.push(`${operation}:${reason}`),
      request: (sample) => {
        requests.push(`${sample.operation}:${sample.outcome}`)
        onRequest(sample)
      },
    },
  })
  return { store, reasons, requests }
}

describe('a claim that races a lease ending', () => {
  it('when the lease ends between the refused write and the read, then the claim is tried again and takes the order', async () => {
    let at = Date.now()
    const { store, reasons, requests } = await storeOn(
      () => at,
      ({ operation, outcome }) => {
        if (operation === 'claim' && outcome === 'condition_failed') at += LEASE_MS + 1
      },
    )
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toEqual({
      kind: 'claimed',
      attempts: 2,
    })
    expect(requests).toEqual(['claim:ok', 'claim:condition_failed', 'claim:ok', 'claim:ok'])
    expect(reasons).toEqual([])
    expect(await store.get(orderId)).toMatchObject({ leaseOwner: 'b', status: 'processing' })
  })

  it('when the lease is live, then one refused write and one read, and the claim is held', async () => {
    const at = Date.now()
    const { store, reasons, requests } = await storeOn(() => at)
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toMatchObject({
      kind: 'held',
      record: { leaseOwner: 'a' },
    })
    expect(requests).toEqual(['claim:ok', 'claim:condition_failed', 'claim:ok'])
    expect(reasons).toEqual(['claim:held'])
  })

  it('when every read shows the lease ended and every write finds it live, then the claim is held after its second try', async () => {
    // Each read is answered at a moment past the lease; the next write is made before it.
    const start = Date.now()
    let at = start
    const { store, reasons, requests } = await storeOn(
      () => {
        const now = at
        at = start
        return now
      },
      ({ operation, outcome }) => {
        if (operation === 'claim' && outcome === 'ok') at = start + LEASE_MS + 1
      },
    )
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })
    at = start
    requests.length = 0

    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toMatchObject({
      kind: 'held',
      record: { leaseOwner: 'a' },
    })
    expect(requests).toEqual([
      'claim:condition_failed',
      'claim:ok',
      'claim:condition_failed',
      'claim:ok',
    ])
    expect(reasons).toEqual(['claim:held'])
  })

  it('when the lease ends exactly at the moment of the read, then it still holds: it ends after its last millisecond', async () => {
    let at = Date.now()
    const { store, reasons, requests } = await storeOn(
      () => at,
      ({ operation, outcome }) => {
        if (operation === 'claim' && outcome === 'condition_failed') at += LEASE_MS
      },
    )
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toMatchObject({
      kind: 'held',
    })
    expect(reasons).toEqual(['claim:held'])
    // Held at once: no second write.
    expect(requests).toEqual(['claim:ok', 'claim:condition_failed', 'claim:ok'])
  })
})

describe('a store without hooks', () => {
  it('when its writes are refused, then it answers as one with hooks does', async () => {
    const { store } = await tables.newStore()
    const orderId = randomUUID()
    await store.record({ orderId, requestHash: 'h' })
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    expect(await store.record({ orderId, requestHash: 'h' })).toMatchObject({ kind: 'retry' })
    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toMatchObject({
      kind: 'held',
    })
    expect(await store.complete({ orderId, owner: 'b' })).toEqual({ kind: 'lease_lost' })
    expect(await store.release({ orderId, owner: 'b', errorCode: 'x', final: false })).toEqual({
      kind: 'lease_lost',
    })
    expect(await store.fail({ orderId, errorCode: 'poison' })).toMatchObject({
      kind: 'unchanged',
    })
  })
})
