import { randomUUID } from 'node:crypto'
import { useTables } from '@orders/stack/tables'
import { describe, expect, it } from 'vitest'

const tables = useTables()
const LEASE_MS = 25_000

// A clock the test moves, so a lease can end without waiting for it.
function clock(start = Date.now()) {
  let at = start
  return { now: () => at, advance: (ms: number) => (at += ms) }
}

async function storeWithClock() {
  const time = clock()
  const reasons: string[] = []
  const { store } = await tables.newStore({
    now: time.now,
    hooks: { conditionFailed: (operation, reason) => reasons.push(`${operation}:${reason}`) },
  })
  return { store, time, reasons }
}

describe('claim', () => {
  it('when the order was recorded, then the claim takes it processing with a lease and counts the attempt', async () => {
    const { store, time } = await storeWithClock()
    const orderId = randomUUID()
    await store.record({ orderId, requestHash: 'h' })

    const claim = await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS, messageId: 'm-1' })

    expect(claim).toEqual({ kind: 'claimed', attempts: 1 })
    expect(await store.get(orderId)).toMatchObject({
      status: 'processing',
      leaseOwner: 'a',
      leaseExpiresAt: time.now() + LEASE_MS,
      messageId: 'm-1',
      requestHash: 'h',
      attempts: 1,
    })
  })

  it('when the order has no record (published straight to SNS), then the claim creates it', async () => {
    const { store } = await storeWithClock()
    const orderId = randomUUID()

    expect(await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })).toEqual({
      kind: 'claimed',
      attempts: 1,
    })
    const record = await store.get(orderId)
    expect(record).toMatchObject({ status: 'processing', attempts: 1 })
    expect(record?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('when another owner holds a live lease, then the claim is held and says until when', async () => {
    const { store, time, reasons } = await storeWithClock()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    const second = await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })

    expect(second).toMatchObject({
      kind: 'held',
      record: { leaseOwner: 'a', leaseExpiresAt: time.now() + LEASE_MS },
    })
    expect(reasons).toEqual(['claim:held'])
  })

  it('when its owner claims it again (its first claim timed out once written), then it holds it again', async () => {
    const { store } = await storeWithClock()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    expect(await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })).toEqual({
      kind: 'claimed',
      attempts: 2,
    })
    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toMatchObject({
      kind: 'held',
    })
  })

  it('when the lease has ended, then another owner claims it and the attempts go on counting', async () => {
    const { store, time } = await storeWithClock()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })
    time.advance(LEASE_MS + 1)

    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toEqual({
      kind: 'claimed',
      attempts: 2,
    })
    expect(await store.complete({ orderId, owner: 'a' })).toEqual({ kind: 'lease_lost' })
    expect(await store.complete({ orderId, owner: 'b' })).toEqual({ kind: 'completed' })
  })

  it('when the order is completed, then a claim answers completed and writes nothing', async () => {
    const { store, reasons } = await storeWithClock()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })
    await store.complete({ orderId, owner: 'a' })
    const completed = await store.get(orderId)

    const again = await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })

    expect(again).toEqual({ kind: 'completed', record: completed })
    expect(completed).toMatchObject({ status: 'completed', leaseOwner: undefined })
    expect(reasons).toEqual(['claim:already_completed'])
  })

  it('when ten owners claim one order at once, then exactly one holds it', async () => {
    const { store } = await storeWithClock()
    const orderId = randomUUID()
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.claim({ orderId, owner: `o-${i}`, leaseMs: LEASE_MS }),
      ),
    )
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1)
    expect(claims.filter((c) => c.kind === 'held')).toHaveLength(9)
  })
})

describe('complete and release', () => {
  it('when released after a failure, then the order is pending with the error and claimable again', async () => {
    const { store } = await storeWithClock()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    const released = await store.release({
      orderId,
      owner: 'a',
      errorCode: 'payment_failed',
      final: false,
    })

    expect(released).toEqual({ kind: 'pending' })
    expect(await store.get(orderId)).toMatchObject({
      status: 'pending',
      lastError: 'payment_failed',
      leaseOwner: undefined,
      attempts: 1,
    })
    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toEqual({
      kind: 'claimed',
      attempts: 2,
    })
  })

  it('when the last attempt is released, then the order is failed and no claim takes it', async () => {
    const { store } = await storeWithClock()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    expect(
      await store.release({ orderId, owner: 'a', errorCode: 'payment_failed', final: true }),
    ).toEqual({ kind: 'failed' })
    expect(await store.claim({ orderId, owner: 'b', leaseMs: LEASE_MS })).toMatchObject({
      kind: 'failed',
      record: { status: 'failed', lastError: 'payment_failed' },
    })
  })

  it('when an owner no longer holds the lease, then neither complete nor release changes the order', async () => {
    const { store, reasons } = await storeWithClock()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })

    expect(await store.complete({ orderId, owner: 'b' })).toEqual({ kind: 'lease_lost' })
    expect(await store.release({ orderId, owner: 'b', errorCode: 'x', final: true })).toEqual({
      kind: 'lease_lost',
    })
    expect(await store.get(orderId)).toMatchObject({ status: 'processing', leaseOwner: 'a' })
    expect(reasons).toEqual(['complete:lease_lost', 'release:lease_lost'])
  })
})

describe('fail (poison that names its order)', () => {
  it('when the order is pending or unknown, then it ends failed with the reason', async () => {
    const { store } = await storeWithClock()
    const recorded = randomUUID()
    await store.record({ orderId: recorded, requestHash: 'h' })
    const unknown = randomUUID()

    expect(await store.fail({ orderId: recorded, errorCode: 'invalid_order' })).toEqual({
      kind: 'failed',
    })
    expect(await store.fail({ orderId: unknown, errorCode: 'invalid_order' })).toEqual({
      kind: 'failed',
    })
    expect(await store.get(recorded)).toMatchObject({
      status: 'failed',
      lastError: 'invalid_order',
    })
    expect(await store.get(unknown)).toMatchObject({ status: 'failed', attempts: 0 })
  })

  it('when the order is completed, then it stays completed', async () => {
    const { store, reasons } = await storeWithClock()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })
    await store.complete({ orderId, owner: 'a' })

    expect(await store.fail({ orderId, errorCode: 'invalid_order' })).toMatchObject({
      kind: 'unchanged',
      record: { status: 'completed' },
    })
    expect(reasons).toEqual(['fail:already_completed'])
  })
})
