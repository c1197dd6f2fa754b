import { count, type Line, perMillion, rate } from './line.ts'
import { hoursPerMonth, type Prices } from './prices.ts'
import type { CostOptions } from './workload.ts'

// An order's record in the table, attribute names included: order_id, status, the request's
// sha256, two ISO timestamps, the attempts, the SNS message id, the lease and the expiry come to
// about 400 bytes (the store's item). Under 1 KB, each write is one write request unit; under
// 4 KB, each strongly consistent read is one read request unit.
export const itemBytes = 400
// DynamoDB bills 100 bytes more per item for its index, and measures in binary units.
const indexBytesPerItem = 100
const bytesPerGb = 1024 ** 3
// A record expires 30 days after its last update (the store's TTL), so a steady load keeps 30
// days of orders in the table.
export const retentionDays = 30
// The receiver's conditional PutItem, then the processor's claim and complete, both conditional
// UpdateItems: the same calls whether the worker or the Lambda function processes the order.
export const writesPerOrder = 3

const unitsOf = (bytes: number, unitBytes: number) => Math.max(1, Math.ceil(bytes / unitBytes))

// What the orders table (on-demand) is used for in a month.
export function ordersTableUsage(o: CostOptions) {
  const storedGb =
    (o.ordersPerMonth * (retentionDays / (hoursPerMonth / 24)) * (itemBytes + indexBytesPerItem)) /
    bytesPerGb
  return {
    writeUnits: o.ordersPerMonth * writesPerOrder * unitsOf(itemBytes, 1024),
    // Each status GET a client makes is a strongly consistent GetItem.
    readUnits: o.ordersPerMonth * o.statusPolls * unitsOf(itemBytes, 4096),
    storedGb,
  }
}

export function ordersTable(o: CostOptions, p: Prices): Line[] {
  const u = ordersTableUsage(o)
  return [
    {
      item: 'table writes',
      detail: `${count(u.writeUnits)} write units (${writesPerOrder} per order: the receiver's put, the processor's claim and complete) × ${perMillion(p.dynamodbWriteRequestUnit.value)}`,
      usd: u.writeUnits * p.dynamodbWriteRequestUnit.value,
    },
    {
      item: 'table reads',
      detail: `${count(u.readUnits)} read units (${o.statusPolls} strongly consistent status GET${o.statusPolls === 1 ? '' : 's'} per order) × ${perMillion(p.dynamodbReadRequestUnit.value)}`,
      usd: u.readUnits * p.dynamodbReadRequestUnit.value,
    },
    {
      item: 'table storage',
      detail: `${u.storedGb.toPrecision(2)} GB (${retentionDays} days of ${itemBytes}-byte records) × ${rate(p.dynamodbStorageGbMonth.value)}`,
      usd: u.storedGb * p.dynamodbStorageGbMonth.value,
    },
    {
      item: 'table PITR',
      detail: `point-in-time recovery on the same ${u.storedGb.toPrecision(2)} GB × ${rate(p.dynamodbPitrGbMonth.value)}`,
      usd: u.storedGb * p.dynamodbPitrGbMonth.value,
    },
  ]
}
