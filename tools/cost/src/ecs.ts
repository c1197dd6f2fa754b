import { count, type Line, perMillion, rate } from './line.ts'
import { hoursPerMonth, type Prices } from './prices.ts'
import {
  type CostOptions,
  chunks,
  inFlight,
  longPollSeconds,
  processorTasks,
  secondsPerMonth,
  spotSplit,
} from './workload.ts'

// What the processor as a Copilot Worker Service uses in a month: Fargate tasks draining the
// queue subscribed to the topic.
export function ecsUsage(o: CostOptions) {
  const tasks = processorTasks(o)
  const { onDemand, spot } = spotSplit(tasks, o.processor.spotFrom)
  const hours = (n: number, per: number) => n * per * hoursPerMonth
  // Every consumer that holds no order sits in a 20 s long poll, billed even when it returns
  // empty; only the time spent paying for orders is not polling.
  const idleShare = Math.max(0, 1 - inFlight(o) / (tasks * o.concurrency))
  const pollerSeconds = tasks * o.pollersPerTask * secondsPerMonth
  return {
    tasks,
    onDemand,
    spot,
    vcpuHours: { onDemand: hours(onDemand, o.processor.vcpu), spot: hours(spot, o.processor.vcpu) },
    gbHours: {
      onDemand: hours(onDemand, o.processor.memoryGb),
      spot: hours(spot, o.processor.memoryGb),
    },
    orderRequests: o.ordersPerMonth * o.sqsRequestsPerOrder * chunks(o.orderKb),
    idlePolls: (pollerSeconds * idleShare) / longPollSeconds,
  }
}

// What only this design pays for; the receiver, ALB and SNS publishes are in shared.ts.
export function ecsWorker(o: CostOptions, p: Prices): Line[] {
  const u = ecsUsage(o)
  const spotFactor = 1 - o.spotDiscount
  return [
    {
      item: 'vCPU-hours',
      detail: `${count(u.vcpuHours.onDemand)} × ${rate(p.fargateVcpuHour.value)} + ${count(u.vcpuHours.spot)} Spot × ${rate(p.fargateVcpuHour.value * spotFactor)}`,
      usd: (u.vcpuHours.onDemand + u.vcpuHours.spot * spotFactor) * p.fargateVcpuHour.value,
    },
    {
      item: 'GB-hours',
      detail: `${count(u.gbHours.onDemand)} × ${rate(p.fargateGbHour.value)} + ${count(u.gbHours.spot)} Spot × ${rate(p.fargateGbHour.value * spotFactor)}`,
      usd: (u.gbHours.onDemand + u.gbHours.spot * spotFactor) * p.fargateGbHour.value,
    },
    {
      item: 'public IPv4',
      detail: `${u.tasks} task address${u.tasks === 1 ? '' : 'es'} × ${hoursPerMonth} h × ${rate(p.publicIpv4Hour.value)}`,
      usd: u.tasks * hoursPerMonth * p.publicIpv4Hour.value,
    },
    {
      item: 'SQS requests',
      detail: `${count(u.orderRequests)} for orders (${o.sqsRequestsPerOrder} each) + ${count(u.idlePolls)} empty long polls, × ${perMillion(p.sqsRequest.value)}`,
      usd: (u.orderRequests + u.idlePolls) * p.sqsRequest.value,
    },
    {
      item: 'SNS → SQS',
      detail: `${count(o.ordersPerMonth)} deliveries, no charge`,
      usd: o.ordersPerMonth * p.snsDeliveryToSqsOrLambda.value,
    },
    {
      item: 'queue KMS key',
      detail: `Copilot encrypts the worker's queue with a key of its own, ${rate(p.kmsKeyMonth.value)} a month`,
      usd: p.kmsKeyMonth.value,
    },
  ]
}
