import { count, type Line, perMillion, rate } from './line.ts'
import type { Prices } from './prices.ts'
import type { CostOptions } from './workload.ts'

// What the processor as a Lambda function subscribed to the topic uses in a month. SNS invokes it
// once per order; duration is billed per 1 ms at the configured memory.
export function lambdaUsage(o: CostOptions) {
  const billedSeconds = Math.ceil(o.processingMs) / 1000
  return {
    requests: o.ordersPerMonth,
    gbSeconds: o.ordersPerMonth * billedSeconds * (o.lambdaMemoryMb / 1024),
  }
}

export const gbSecondPrice = (o: CostOptions, p: Prices) =>
  o.lambdaArch === 'arm64' ? p.lambdaGbSecondArm : p.lambdaGbSecondX86

export function lambdaFunction(o: CostOptions, p: Prices): Line[] {
  const u = lambdaUsage(o)
  const gbSecond = gbSecondPrice(o, p)
  return [
    {
      item: 'requests',
      detail: `${count(u.requests)} invocations × ${perMillion(p.lambdaRequest.value)}`,
      usd: u.requests * p.lambdaRequest.value,
    },
    {
      item: 'GB-seconds',
      detail: `${count(u.gbSeconds)} (${Math.ceil(o.processingMs)} ms × ${o.lambdaMemoryMb} MB each) × ${rate(gbSecond.value)} (${o.lambdaArch})`,
      usd: u.gbSeconds * gbSecond.value,
    },
    {
      item: 'SNS → Lambda',
      detail: `${count(o.ordersPerMonth)} deliveries, no charge`,
      usd: o.ordersPerMonth * p.snsDeliveryToSqsOrLambda.value,
    },
    {
      // Only orders that fail all three attempts are sent there: one SQS request each.
      item: 'on-failure DLQ',
      detail: 'one SQS send per order that fails 3 attempts: negligible',
      usd: 0,
    },
  ]
}
