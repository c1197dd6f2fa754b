import type { Order } from '@orders/order/order'
import { describe, expect, it } from 'vitest'
import { createProcessorPayment } from '../../src/core/payment.ts'

function recordingTimes() {
  const times: number[] = []
  const payment = (ms?: number) => {
    times.push(ms ?? -1)
    return async (order: Order) => order
  }
  return { times, payment }
}

describe('processor payment', () => {
  it('when there is no jitter, then every payment takes the configured time', () => {
    const { times, payment } = recordingTimes()
    createProcessorPayment(3000, 0, Math.random, payment)
    expect(times).toEqual([3000])
  })

  it.each([
    [0, 50],
    [0.5, 150],
    [0.75, 200],
  ])('when the draw is %s, then a 150 ± 100 ms payment takes %s ms', async (draw, ms) => {
    const { times, payment } = recordingTimes()
    const pay = createProcessorPayment(150, 100, () => draw, payment)
    await pay({} as Order)
    expect(times).toEqual([ms])
  })
})
