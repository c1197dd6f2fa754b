import { ecsUsage, ecsWorker } from './ecs.ts'
import { gbSecondPrice, lambdaFunction, lambdaUsage } from './lambda.ts'
import { count, type Line, perMillion, total } from './line.ts'
import { ordersTable, ordersTableUsage } from './orders-table.ts'
import type { Prices } from './prices.ts'
import { shared, sharedUsage } from './shared.ts'
import {
  type CostOptions,
  inFlight,
  ordersPerMonthAt,
  processorTasks,
  receiverTasks,
} from './workload.ts'

export type Comparison = {
  ecs: Line[]
  lambda: Line[]
  shared: Line[]
  // Always-free allowances, as negative amounts: per account, so only real if nothing else uses them.
  freeTier: { ecs: Line[]; lambda: Line[] }
  totals: { ecs: number; lambda: number; ecsAfterFreeTier: number; lambdaAfterFreeTier: number }
  notes: string[]
}

// The allowance used up by this load, as a credit.
function allowance(item: string, used: number, free: number, price: number, unit: string): Line {
  const covered = Math.min(used, free)
  return { item, detail: `${count(covered)} of ${count(free)} free ${unit}`, usd: -covered * price }
}

export function compare(o: CostOptions, p: Prices): Comparison {
  const ecs = ecsWorker(o, p)
  const lambda = lambdaFunction(o, p)
  // Both designs make the same calls on the orders table.
  const both = [...shared(o, p), ...ordersTable(o, p)]
  const e = ecsUsage(o)
  const l = lambdaUsage(o)
  const s = sharedUsage(o)
  const sns = allowance(
    'SNS',
    s.publishes,
    p.snsFreePublishes.value,
    p.snsPublish.value,
    'publishes',
  )
  const tableStorage = allowance(
    'DynamoDB storage',
    ordersTableUsage(o).storedGb,
    p.dynamodbFreeStorageGb.value,
    p.dynamodbStorageGbMonth.value,
    'GB',
  )
  const freeTier = {
    ecs: [
      allowance(
        'SQS',
        e.orderRequests + e.idlePolls,
        p.sqsFreeRequests.value,
        p.sqsRequest.value,
        'requests',
      ),
      sns,
      tableStorage,
    ],
    lambda: [
      allowance(
        'Lambda requests',
        l.requests,
        p.lambdaFreeRequests.value,
        p.lambdaRequest.value,
        'requests',
      ),
      allowance(
        'Lambda GB-seconds',
        l.gbSeconds,
        p.lambdaFreeGbSeconds.value,
        gbSecondPrice(o, p).value,
        'GB-s',
      ),
      sns,
      tableStorage,
    ],
  }
  const ecsTotal = total(ecs) + total(both)
  const lambdaTotal = total(lambda) + total(both)
  return {
    ecs,
    lambda,
    shared: both,
    freeTier,
    totals: {
      ecs: ecsTotal,
      lambda: lambdaTotal,
      ecsAfterFreeTier: ecsTotal + total(freeTier.ecs),
      lambdaAfterFreeTier: lambdaTotal + total(freeTier.lambda),
    },
    notes: notes(o, p),
  }
}

// Where the load leaves what the deployment or the price table covers.
function notes(o: CostOptions, p: Prices): string[] {
  const found: string[] = []
  const tasks = processorTasks(o)
  if (tasks > o.processor.maxTasks) {
    found.push(
      `the load needs ${tasks} processor tasks but copilot/processor/manifest.yml allows ${o.processor.maxTasks} (count.range.max): raise it, or the queue grows without end`,
    )
  }
  const receivers = receiverTasks(o)
  if (receivers > o.receiver.maxTasks) {
    found.push(
      `the load needs ${receivers} receiver tasks but copilot/receiver/manifest.yml allows ${o.receiver.maxTasks}`,
    )
  }
  const concurrent = Math.ceil(inFlight(o))
  if (concurrent > 1000) {
    found.push(
      `Lambda needs about ${count(concurrent)} concurrent executions, above the default quota of 1,000 per region: ask for more first`,
    )
  }
  const firstTier = o.lambdaArch === 'arm64' ? 7.5e9 : 6e9
  if (lambdaUsage(o).gbSeconds > firstTier) {
    found.push(
      `Lambda passes ${count(firstTier)} GB-s, where AWS's cheaper tiers start; they are not modelled, so Lambda is overstated`,
    )
  }
  if (o.ordersPerMonth * o.sqsRequestsPerOrder > 100e9) {
    found.push(`SQS passes 100 billion requests, beyond the ${perMillion(p.sqsRequest.value)} tier`)
  }
  return found
}

// The first rate, in orders a second, at which Lambda stops being the cheaper design, searched
// over 0.00001 to 10,000 orders/s: a geometric scan for the crossing, then bisection. ECS costs
// step up a task at a time, so at the crossing the totals may jump past each other rather than
// meet; below the rate returned Lambda is cheaper, from it on ECS is. Undefined when one design
// is cheaper over the whole range.
export function breakEven(o: CostOptions, p: Prices, afterFreeTier: boolean): number | undefined {
  const gap = (rate: number) => {
    const { totals } = compare({ ...o, ordersPerMonth: ordersPerMonthAt(rate) }, p)
    return afterFreeTier
      ? totals.lambdaAfterFreeTier - totals.ecsAfterFreeTier
      : totals.lambda - totals.ecs
  }
  let low = 1e-5
  if (gap(low) >= 0) return undefined
  let high = low
  while (gap(high) < 0) {
    low = high
    high *= 1.25
    if (high > 1e4) return undefined
  }
  for (let i = 0; i < 100 && high - low > low * 1e-9; i++) {
    const mid = (low + high) / 2
    if (gap(mid) < 0) low = mid
    else high = mid
  }
  return high
}
