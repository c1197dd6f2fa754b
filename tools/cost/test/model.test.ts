import { describe, expect, it } from 'vitest'
import { breakEven, compare } from '../src/compare.ts'
import { ecsUsage } from '../src/ecs.ts'
import { total } from '../src/line.ts'
import { hoursPerMonth, prices } from '../src/prices.ts'
import { type CostOptions, ordersPerMonthAt, processorTasks, spotSplit } from '../src/workload.ts'
import { options, usdOf } from './options.ts'

describe('the Lambda design', () => {
  it('when 2 million 1 s orders run at 256 MB on arm64, then requests and GB-seconds cost what the table says', () => {
    const c = compare(
      options({
        ordersPerMonth: 2e6,
        processingMs: 1000,
        lambdaMemoryMb: 256,
        lambdaArch: 'arm64',
      }),
      prices,
    )
    // 2,000,000 orders × 1 s × 0.25 GB = 500,000 GB-s.
    const gbSeconds = 500_000
    expect(usdOf(c.lambda, 'requests')).toBeCloseTo(2e6 * prices.lambdaRequest.value, 10)
    expect(usdOf(c.lambda, 'GB-seconds')).toBeCloseTo(
      gbSeconds * prices.lambdaGbSecondArm.value,
      10,
    )
    expect(usdOf(c.lambda, 'on-failure DLQ')).toBe(0)
    // The allowance is shown apart, never taken off the total.
    expect(c.totals.lambda).toBeCloseTo(
      2e6 * prices.lambdaRequest.value +
        gbSeconds * prices.lambdaGbSecondArm.value +
        total(c.shared),
      10,
    )
    expect(usdOf(c.freeTier.lambda, 'Lambda requests')).toBeCloseTo(
      -1e6 * prices.lambdaRequest.value,
      10,
    )
    expect(usdOf(c.freeTier.lambda, 'Lambda GB-seconds')).toBeCloseTo(
      -400_000 * prices.lambdaGbSecondArm.value,
      10,
    )
  })

  it('when an order takes a fraction of a millisecond more, then the whole next millisecond is billed', () => {
    const c = compare(
      options({ ordersPerMonth: 1000, processingMs: 99.2, lambdaMemoryMb: 1024 }),
      prices,
    )
    expect(usdOf(c.lambda, 'GB-seconds')).toBeCloseTo(
      1000 * 0.1 * prices.lambdaGbSecondX86.value,
      12,
    )
  })
})

describe('the ECS worker design', () => {
  it('when 25 orders are in flight at concurrency 10, then 3 tasks run, all but the first on Spot', () => {
    // 25/3 orders a second × 3 s = 25 in flight.
    const o = options({ ordersPerMonth: ordersPerMonthAt(25 / 3) })
    const c = compare(o, prices)
    expect(ecsUsage(o)).toMatchObject({ tasks: 3, onDemand: 1, spot: 2 })
    const spot = 1 - prices.fargateSpotDiscount.value
    const vcpuHours = 0.25 * hoursPerMonth
    expect(usdOf(c.ecs, 'vCPU-hours')).toBeCloseTo(
      vcpuHours * prices.fargateVcpuHour.value +
        2 * vcpuHours * prices.fargateVcpuHour.value * spot,
      8,
    )
    const gbHours = 0.5 * hoursPerMonth
    expect(usdOf(c.ecs, 'GB-hours')).toBeCloseTo(
      gbHours * prices.fargateGbHour.value + 2 * gbHours * prices.fargateGbHour.value * spot,
      8,
    )
    expect(usdOf(c.ecs, 'public IPv4')).toBeCloseTo(
      3 * hoursPerMonth * prices.publicIpv4Hour.value,
      8,
    )
  })

  it('when nothing is ordered, then each of the 10 consumers still long-polls every 20 s', () => {
    const c = compare(options({ ordersPerMonth: 0 }), prices)
    // 10 consumers × 2,628,000 s in 730 hours ÷ 20 s.
    expect(usdOf(c.ecs, 'SQS requests')).toBeCloseTo(1_314_000 * prices.sqsRequest.value, 8)
    expect(processorTasks(options({ ordersPerMonth: 0 }))).toBe(1)
  })

  it('when the queue is half busy, then half the polling time is idle and orders cost their requests', () => {
    // 5 in flight of 10 slots on the one task.
    const o = options({ ordersPerMonth: ordersPerMonthAt(5 / 3), sqsRequestsPerOrder: 0.2 })
    const requests = o.ordersPerMonth * 0.2 + 1_314_000 / 2
    expect(usdOf(compare(o, prices).ecs, 'SQS requests')).toBeCloseTo(
      requests * prices.sqsRequest.value,
      6,
    )
  })

  it('when exactly 30 orders are in flight, then 3 tasks carry them, not 4', () => {
    expect(processorTasks(options({ ordersPerMonth: ordersPerMonthAt(10) }))).toBe(3)
  })

  it('when the manifest sets no spot_from, then every task is on-demand', () => {
    expect(spotSplit(4, undefined)).toEqual({ onDemand: 4, spot: 0 })
    expect(spotSplit(1, 2)).toEqual({ onDemand: 1, spot: 0 })
  })

  it('when the load needs more tasks than the manifest allows, then a note says so', () => {
    expect(compare(options({ ordersPerMonth: 100e6 }), prices).notes.join()).toMatch(
      /needs 12 processor tasks .* allows 10/,
    )
  })
})

describe('what both designs share', () => {
  it('when an order is 100 KB, then each publish is billed as two 64 KB requests', () => {
    const c = compare(options({ ordersPerMonth: 1e6, orderKb: 100 }), prices)
    expect(usdOf(c.shared, 'SNS publishes')).toBeCloseTo(2e6 * prices.snsPublish.value, 8)
  })

  it('when the load is idle, then the ALB, receiver task and three addresses still bill by the hour', () => {
    const c = compare(options({ ordersPerMonth: 0 }), prices)
    expect(usdOf(c.shared, 'ALB hours')).toBeCloseTo(hoursPerMonth * prices.albHour.value, 8)
    expect(usdOf(c.shared, 'ALB LCUs')).toBe(0)
    expect(usdOf(c.shared, 'public IPv4')).toBeCloseTo(
      3 * hoursPerMonth * prices.publicIpv4Hour.value,
      8,
    )
    expect(usdOf(c.shared, 'receiver tasks')).toBeCloseTo(
      hoursPerMonth * (0.25 * prices.fargateVcpuHour.value + 0.5 * prices.fargateGbHour.value),
      8,
    )
  })
})

describe('the break-even rate', () => {
  const gap = (o: CostOptions, rate: number) => {
    const { totals } = compare({ ...o, ordersPerMonth: ordersPerMonthAt(rate) }, prices)
    return totals.lambda - totals.ecs
  }

  it('when searched, then Lambda is cheaper just below it and the ECS worker from it on', () => {
    const o = options()
    const rate = breakEven(o, prices, false)
    if (rate === undefined) throw new Error('expected a break-even')
    expect(gap(o, rate * (1 - 1e-6))).toBeLessThan(0)
    expect(gap(o, rate)).toBeGreaterThanOrEqual(0)
    expect(gap(o, rate * 0.5)).toBeLessThan(0)
    expect(gap(o, rate * 2)).toBeGreaterThan(0)
  })

  it('when the free tier is taken off, then the crossing moves to a higher rate', () => {
    const o = options()
    const listed = breakEven(o, prices, false) ?? 0
    const free = breakEven(o, prices, true) ?? 0
    expect(free).toBeGreaterThan(listed)
    const { totals } = compare(
      { ...o, ordersPerMonth: ordersPerMonthAt(free * (1 - 1e-6)) },
      prices,
    )
    expect(totals.lambdaAfterFreeTier).toBeLessThan(totals.ecsAfterFreeTier)
  })

  it('when Lambda would cost less at any rate in range, then there is no break-even', () => {
    // A free Lambda: only the shared costs remain, below the ECS worker's at every rate.
    const free = { ...prices, lambdaRequest: { ...prices.lambdaRequest, value: 0 } }
    const gbFree = { ...free, lambdaGbSecondX86: { ...prices.lambdaGbSecondX86, value: 0 } }
    expect(breakEven(options(), gbFree, false)).toBeUndefined()
  })
})
