import type { Comparison } from './compare.ts'
import { ecsUsage } from './ecs.ts'
import { count, type Line, total, usd } from './line.ts'
import { lookedUp, lookedUpOn, type Price, prices, region } from './prices.ts'
import { type CostOptions, inFlight, ordersPerMonthAt, ordersPerSecond } from './workload.ts'

const row = (l: Line) => `  ${usd(l.usd).padStart(10)}  ${l.item.padEnd(17)} ${l.detail}`
const section = (title: string, lines: Line[]) =>
  [title, ...lines.map(row), `  ${usd(total(lines)).padStart(10)}  subtotal`].join('\n')
const pair = (label: string, ecs: number, lambda: number) =>
  `${label.padEnd(22)} ECS worker ${usd(ecs).padStart(10)}    Lambda ${usd(lambda).padStart(10)}`

export function describeRate(rate: number): string {
  return `${rate.toPrecision(3)} orders/s (${count(ordersPerMonthAt(rate))} orders/month)`
}

export type BreakEven = { list: number | undefined; afterFreeTier: number | undefined }

export function renderComparison(o: CostOptions, c: Comparison, breakEven: BreakEven) {
  const rate = ordersPerSecond(o.ordersPerMonth)
  const tasks = ecsUsage(o)
  const credits = (lines: Line[]) => lines.map((l) => `${l.item} ${usd(l.usd)}`).join(', ')
  const at = (r: number | undefined) =>
    r === undefined ? 'none between 0.00001 and 10,000 orders/s' : describeRate(r)
  return [
    `ECS worker or Lambda: cost a month in ${region}, prices looked up ${lookedUpOn(prices)}`,
    `Load: ${count(o.ordersPerMonth)} orders/month (${rate.toPrecision(3)} orders/s), ${count(o.processingMs)} ms each: ${inFlight(o).toPrecision(3)} orders in flight on average`,
    '',
    section(
      `ECS worker: ${tasks.tasks} Fargate task${tasks.tasks === 1 ? '' : 's'} (${tasks.onDemand} on-demand, ${tasks.spot} Spot) at ${o.processor.vcpu} vCPU / ${o.processor.memoryGb} GB, ${o.concurrency} orders in flight each`,
      c.ecs,
    ),
    section(
      `Lambda: the processor as a function (${o.lambdaMemoryMb} MB, ${o.lambdaArch})`,
      c.lambda,
    ),
    section(
      'Shared by both: receiver, load balancer, SNS, orders table (copilot/receiver/manifest.yml)',
      c.shared,
    ),
    '',
    pair('Total a month', c.totals.ecs, c.totals.lambda),
    `Always-free allowances, per account (real only if nothing else in the account uses them):`,
    `  ECS worker: ${credits(c.freeTier.ecs)}`,
    `  Lambda:     ${credits(c.freeTier.lambda)}`,
    pair('After the free tier', c.totals.ecsAfterFreeTier, c.totals.lambdaAfterFreeTier),
    '',
    `Break-even: ${at(breakEven.list)} at list prices; ${at(breakEven.afterFreeTier)} after the free tier.`,
    'Below it Lambda costs less, from it on the ECS worker does.',
    ...c.notes.map((n) => `Note: ${n}.`),
  ].join('\n')
}

export function renderPrices(table: Record<string, Price>): string {
  const lines = Object.entries(table).map(
    ([name, p]) =>
      `${name.padEnd(26)} ${String(p.value).padEnd(14)} ${p.unit}\n${' '.repeat(27)}${p.source}${p.lookedUp ? ` (looked up ${p.lookedUp})` : ''}`,
  )
  return [`Prices (${region}, looked up ${lookedUp} unless a line says otherwise):`, ...lines].join(
    '\n',
  )
}
