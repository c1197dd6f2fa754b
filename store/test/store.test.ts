import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { useTables } from '@orders/stack/tables'
import { createDynamoClient } from '@orders/store/client'
import { describe, expect, it } from 'vitest'
import { requestHash } from '../src/records.ts'
import { createOrderStore, StoreUnavailableError } from '../src/store.ts'
import { RETENTION_SECONDS } from '../src/table.ts'

const tables = useTables()
const request = (orderId: string, customer = 7) => ({
  order_id: orderId,
  customer_id: customer,
  items: [{ product_id: 'SKU-1', quantity: 2, price: 4.5 }],
})

describe('record', () => {
  it('when an order is new, then one write records it pending and a consistent read sees it', async () => {
    const requests: string[] = []
    const { store } = await tables.newStore({
      hooks: { request: ({ operation, outcome }) => requests.push(`${operation}:${outcome}`) },
    })
    const orderId = randomUUID()
    const hash = requestHash(request(orderId))
    const before = Math.floor(Date.now() / 1000)

    const recorded = await store.record({ orderId, requestHash: hash })

    expect(recorded).toMatchObject({ kind: 'created', record: { orderId, status: 'pending' } })
    expect(requests).toEqual(['record:ok'])
    const read = await store.get(orderId)
    expect(read).toMatchObject({ orderId, status: 'pending', requestHash: hash, attempts: 0 })
    expect(read?.createdAt).toBe(read?.updatedAt)
    expect(read?.expiresAt).toBeGreaterThanOrEqual(before + RETENTION_SECONDS)
  })

  it('when the same order is recorded again, then it is a retry and the first record stays', async () => {
    const reasons: string[] = []
    const { store } = await tables.newStore({
      hooks: { conditionFailed: (_operation, reason) => reasons.push(reason) },
    })
    const orderId = randomUUID()
    const hash = requestHash(request(orderId))
    const first = await store.record({ orderId, requestHash: hash })

    const again = await store.record({ orderId, requestHash: hash })

    expect(again).toEqual({ kind: 'retry', record: first.record })
    expect(reasons).toEqual(['already_recorded'])
  })

  it('when another order takes an id already recorded, then it is a conflict and nothing changes', async () => {
    const { store } = await tables.newStore()
    const orderId = randomUUID()
    const first = await store.record({ orderId, requestHash: requestHash(request(orderId)) })

    const other = await store.record({ orderId, requestHash: requestHash(request(orderId, 8)) })

    expect(other).toEqual({ kind: 'conflict', record: first.record })
    expect(await store.get(orderId)).toEqual(first.record)
  })

  it('when an id was never recorded, then get answers undefined', async () => {
    const { store } = await tables.newStore()
    expect(await store.get(randomUUID())).toBeUndefined()
  })
})

describe('requestHash', () => {
  it('when only the key order differs, then the hash is the same; when content differs, not', () => {
    const a = request('h-1')
    const reordered = { items: a.items, customer_id: a.customer_id, order_id: a.order_id }
    expect(requestHash(reordered)).toBe(requestHash(a))
    expect(requestHash(request('h-1', 8))).not.toBe(requestHash(a))
  })
})

describe('store unavailable', () => {
  it('when the table does not answer within the timeout, then StoreUnavailableError, timed out', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const client = createDynamoClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    const outcomes: string[] = []
    const store = createOrderStore({
      client,
      tableName: 'orders-silent',
      timeoutMs: 200,
      hooks: { request: ({ outcome }) => outcomes.push(outcome) },
    })
    try {
      const error = await store.get('x-1').catch((err: unknown) => err)
      expect(error).toBeInstanceOf(StoreUnavailableError)
      expect(error).toMatchObject({ operation: 'get', timedOut: true })
      expect(outcomes).toEqual(['timeout'])
    } finally {
      client.destroy()
      silent.closeAllConnections()
      silent.close()
    }
  })

  it('when the table does not exist, then StoreUnavailableError, not timed out', async () => {
    const store = createOrderStore({ client: tables.client, tableName: 'orders-missing' })
    await expect(store.get('x-2')).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      timedOut: false,
    })
  })
})
