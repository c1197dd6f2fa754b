import { newOrder } from '@orders/order/order'
import { describe, expect, it } from 'vitest'
import { invokeInFreshProcess, snsEvent } from '../../bench/lambda-invoke.ts'

const order = (id: string) =>
  newOrder({ order_id: id, customer_id: 1, items: [{ product_id: 'A', quantity: 1, price: 1 }] })
const entry = new URL('../../src/lambda/entry.ts', import.meta.url).pathname

describe('the entry point (src/lambda/entry.ts)', () => {
  it('when imported in a fresh process, then its handler completes an order and logs one JSON line', async () => {
    const run = await invokeInFreshProcess(entry, snsEvent([JSON.stringify(order('l-7'))]), {
      PROCESSING_TIME_MS: '1',
    })
    expect(run.error).toBeUndefined()
    expect(run.logs).toEqual([
      expect.objectContaining({ name: 'processor', orderId: 'l-7', status: 'completed' }),
    ])
  })

  it('when one sandbox gets the same event twice, then it pays once and its EMF lines say so', async () => {
    const event = snsEvent([JSON.stringify(order('l-10'))])
    const run = await invokeInFreshProcess(entry, [event, event], { PROCESSING_TIME_MS: '1' })
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
