import { randomUUID } from 'node:crypto'
import { useTables } from '@orders/stack/tables'
import { expiresAt, requestHash } from '@orders/store/records'
import { RETENTION_SECONDS } from '@orders/store/table'
import { describe, expect, it } from 'vitest'

// What the store's metrics show an operator: every request under its operation and outcome, and
// every refused condition with its reason.
const tables = useTables()
const LEASE_MS = 25_000

async function observedStore(now = () => Date.now()) {
  const requests: string[] = []
  const reasons: string[] = []
  const { store } = await tables.newStore({
    now,
    hooks: {
      request: ({ operation, outcome }) => requests.push(`${operation}:${outcome}`),
      conditionFailed: (operation, reason) => reasons.push(`${operation}:${reason}`),
    },
  })
  // What the test's own setup asked is forgotten; only what follows counts.
  const reset = () => {
    requests.length = 0
    reasons.length = 0
  }
  return { store, requests, reasons, reset }
}

describe('the requests and refused conditions, as the metrics count them', () => {
  it('when an order is recorded, then again, then with other content, then one write each and a read for the two refused', async () => {
    const { store, requests, reasons } = await observedStore()
    const orderId = randomUUID()
    await store.record({ orderId, requestHash: 'h' })
    await store.record({ orderId, requestHash: 'h' })
    await store.record({ orderId, requestHash: 'other' })
    expect(requests).toEqual([
      'record:ok',
      'record:condition_failed',
      'record:ok',
      'record:condition_failed',
      'record:ok',
    ])
    expect(reasons).toEqual(['record:already_recorded', 'record:conflict'])
  })

  it('when a claim meets a completed order and a failed one, then each reason by its status', async () => {
    const { store, reasons, reset } = await observedStore()
    const [completed, failed] = [randomUUID(), randomUUID()]
    await store.claim({ orderId: completed, owner: 'a', leaseMs: LEASE_MS })
    await store.complete({ orderId: completed, owner: 'a' })
    await store.fail({ orderId: failed, errorCode: 'poison' })
    reset()

    expect((await store.claim({ orderId: completed, owner: 'b', leaseMs: LEASE_MS })).kind).toBe(
      'completed',
    )
    expect((await store.claim({ orderId: failed, owner: 'b', leaseMs: LEASE_MS })).kind).toBe(
      'failed',
    )
    expect(reasons).toEqual(['claim:already_completed', 'claim:already_failed'])
  })

  it('when a release comes from an owner without the lease, then one refused write, counted lease_lost', async () => {
    const { store, requests, reasons, reset } = await observedStore()
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })
    reset()
    const released = await store.release({ orderId, owner: 'b', errorCode: 'x', final: false })
    expect(released).toEqual({ kind: 'lease_lost' })
    expect(requests).toEqual(['release:condition_failed'])
    expect(reasons).toEqual(['release:lease_lost'])
  })

  it('when poison names an order that is completed, failed or held, then it stays so, each with its reason', async () => {
    const { store, requests, reasons, reset } = await observedStore()
    const [completed, failed, held] = [randomUUID(), randomUUID(), randomUUID()]
    await store.claim({ orderId: completed, owner: 'a', leaseMs: LEASE_MS })
    await store.complete({ orderId: completed, owner: 'a' })
    await store.fail({ orderId: failed, errorCode: 'poison' })
    await store.claim({ orderId: held, owner: 'a', leaseMs: LEASE_MS })
    reset()

    const kinds = []
    for (const orderId of [completed, failed, held]) {
      kinds.push((await store.fail({ orderId, errorCode: 'poison' })).kind)
    }
    expect(kinds).toEqual(['unchanged', 'unchanged', 'unchanged'])
    expect(reasons).toEqual(['fail:already_completed', 'fail:already_failed', 'fail:held'])
    expect(requests).toEqual(
      Array.from({ length: 3 }, () => ['fail:condition_failed', 'fail:ok']).flat(),
    )
    expect(await store.get(held)).toMatchObject({ status: 'processing', leaseOwner: 'a' })
  })

  it('when poison names an order whose lease ended, then it ends failed and no lease is left on it', async () => {
    let at = Date.now()
    const { store } = await observedStore(() => at)
    const orderId = randomUUID()
    await store.claim({ orderId, owner: 'a', leaseMs: LEASE_MS })
    at += LEASE_MS + 1

    expect(await store.fail({ orderId, errorCode: 'poison' })).toEqual({ kind: 'failed' })
    expect(await store.get(orderId)).toMatchObject({
      status: 'failed',
      lastError: 'poison',
      leaseOwner: undefined,
      leaseExpiresAt: undefined,
      attempts: 1,
    })
  })
})

describe('what a record keeps', () => {
  it('when recorded, then it expires RETENTION_SECONDS after it was written, in epoch seconds', async () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678)
    const { store } = await observedStore(() => at)
    const orderId = randomUUID()
    await store.record({ orderId, requestHash: 'h' })
    const expected = Math.floor(at / 1000) + RETENTION_SECONDS
    expect(expiresAt(at)).toBe(expected)
    expect(await store.get(orderId)).toMatchObject({ expiresAt: expected })
  })

  it('when only an item differs, then the hash differs', () => {
    const request = {
      order_id: 'o-1',
      customer_id: 1,
      items: [{ product_id: 'A', quantity: 1, price: 2 }],
    }
    const hashes = new Set([
      requestHash(request),
      requestHash({ ...request, items: [{ product_id: 'B', quantity: 1, price: 2 }] }),
      requestHash({ ...request, items: [{ product_id: 'A', quantity: 3, price: 2 }] }),
      requestHash({ ...request, items: [{ product_id: 'A', quantity: 1, price: 4 }] }),
    ])
    expect(hashes.size).toBe(4)
  })
})
