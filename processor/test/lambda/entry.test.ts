import { newOrder } from '@orders/order/order'
import { describe, expect, it } from 'vitest'
import { invokeInFreshProcess, snsEvent } from '../../testing/lambda-invoke.ts'
import { useFunctionTable } from './table-env.ts'

const order = (id: string) =>
  newOrder({ order_id: id, customer_id: 1, items: [{ product_id: 'A', quantity: 1, price: 1 }] })
const entry = new URL('../../src/lambda/entry.ts', import.meta.url).pathname
const functionTable = useFunctionTable()

describe('the entry point (src/lambda/entry.ts)', () => {
  it('when imported in a fresh process, then its handler completes an order and logs one JSON line', async () => {
    const { env, store } = await functionTable()
    const run = await invokeInFreshProcess(entry, snsEvent([JSON.stringify(order('l-7'))]), {
      ...env,
      PROCESSING_TIME_MS: '1',
    })
    expect(run.error).toBeUndefined()
    expect(run.logs).toEqual([
      expect.objectContaining({ name: 'processor', orderId: 'l-7', status: 'completed' }),
    ])
    // AWS_ENDPOINT_URL_DYNAMODB took the SDK to the emulator: the order is completed there.
    expect(await store.get('l-7')).toMatchObject({ status: 'completed', attempts: 1 })
  })

  it('when one sandbox gets the same event twice, then it pays once and its EMF lines say so', async () => {
    const { env } = await functionTable()
    const event = snsEvent([JSON.stringify(order('l-10'))])
    const run = await invokeInFreshProcess(entry, [event, event], {
      ...env,
      PROCESSING_TIME_MS: '1',
    })
    expect(run.error).toBeUndefined()
    expect(run.logs.map((line) => line.msg)).toEqual([
      'order completed',
      'duplicate delivery; payment not repeated',
    ])
    expect(run.metrics).toEqual([
      expect.objectContaining({ orders_processed_total: 1, orders_duplicate_total: 0 }),
      expect.objectContaining({ orders_processed_total: 0, orders_duplicate_total: 1 }),
    ])
    expect(run.metrics[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Orders', Dimensions: [['service']] }] },
      service: 'processor',
    })
  })
})
