import { describe, expect, it } from 'vitest'
import { breakEven, compare } from '../src/compare.ts'
import { total } from '../src/line.ts'
import { itemBytes, ordersTableUsage, retentionDays } from '../src/orders-table.ts'
import { hoursPerMonth, prices } from '../src/prices.ts'
import type { CostOptions } from '../src/workload.ts'
import { options as defaults, usdOf } from './options.ts'

// A million orders a month: enough for the table's lines to show in cents.
const options = (over: Partial<CostOptions> = {}) => defaults({ ordersPerMonth: 1e6, ...over })

describe('the orders table (DynamoDB on-demand)', () => {
  it('when a million orders are accepted and processed, then each costs the put, the claim and the complete: 3 write units', () => {
    const c = compare(options(), prices)
    expect(usdOf(c.shared, 'table writes')).toBeCloseTo(3e6 * 0.625e-6, 10)
    expect(prices.dynamodbWriteRequestUnit.value).toBe(0.625 / 1e6)
  })

  it.each([
    [0, 0],
    [1, 1e6],
    [5, 5e6],
  ])(
    'when each client makes %i status GETs, then the table bills %i strongly consistent read units',
    (polls, units) => {
      const o = options({ statusPolls: polls })
      expect(ordersTableUsage(o).readUnits).toBe(units)
      expect(usdOf(compare(o, prices).shared, 'table reads')).toBeCloseTo(units * 0.125e-6, 10)
    },
  )

  it('when a record is under 1 KB, then one write unit each, and one read unit under 4 KB', () => {
    expect(itemBytes).toBeLessThan(1024)
    expect(ordersTableUsage(options({ ordersPerMonth: 1 }))).toMatchObject({
      writeUnits: 3,
      readUnits: 1,
    })
  })

  it('when records live 30 days, then storage and PITR bill 30 days of records, inside the free 25 GB at a million a month', () => {
    const o = options()
    const { storedGb } = ordersTableUsage(o)
    const records = 1e6 * (retentionDays / (hoursPerMonth / 24))
    expect(storedGb).toBeCloseTo((records * (itemBytes + 100)) / 1024 ** 3, 12)
    const c = compare(o, prices)
    expect(usdOf(c.shared, 'table storage')).toBeCloseTo(storedGb * 0.25, 12)
    expect(usdOf(c.shared, 'table PITR')).toBeCloseTo(storedGb * 0.2, 12)
    expect(storedGb).toBeLessThan(prices.dynamodbFreeStorageGb.value)
    expect(usdOf(c.freeTier.ecs, 'DynamoDB storage')).toBeCloseTo(-storedGb * 0.25, 12)
    expect(usdOf(c.freeTier.lambda, 'DynamoDB storage')).toBeCloseTo(-storedGb * 0.25, 12)
  })

  it('when both designs are priced, then the table is in both totals alike and the break-even does not move', () => {
    const c = compare(options(), prices)
    const table = c.shared.filter((l) => l.item.startsWith('table '))
    expect(table.map((l) => l.item)).toEqual([
      'table writes',
      'table reads',
      'table storage',
      'table PITR',
    ])
    expect(c.totals.ecs - total(c.ecs)).toBeCloseTo(c.totals.lambda - total(c.lambda), 10)
    expect(c.totals.ecs - total(c.ecs)).toBeGreaterThan(total(table))
    const freeTable = {
      ...prices,
      dynamodbWriteRequestUnit: { ...prices.dynamodbWriteRequestUnit, value: 0 },
      dynamodbReadRequestUnit: { ...prices.dynamodbReadRequestUnit, value: 0 },
    }
    expect(breakEven(options(), prices, false)).toBeCloseTo(
      breakEven(options(), freeTable, false) ?? 0,
      6,
    )
  })
})
