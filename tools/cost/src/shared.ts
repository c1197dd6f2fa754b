import { count, type Line, perMillion, rate } from './line.ts'
import { hoursPerMonth, lcu, type Prices } from './prices.ts'
import { type CostOptions, chunks, ordersPerSecond, receiverTasks } from './workload.ts'

// Bytes an order costs the load balancer, request and response with headers: an estimate.
const bytesPerOrder = 2048
// The ALB keeps one public address in each of the environment's two availability zones.
const albAddresses = 2

// What both designs pay for alike: the receiver behind the load balancer and its SNS publishes.
export function sharedUsage(o: CostOptions) {
  const rate = ordersPerSecond(o.ordersPerMonth)
  const tasks = receiverTasks(o)
  // Billed on the busiest LCU dimension; counting a new connection per order is the worst case.
  const lcus = Math.max(
    rate / lcu.newConnectionsPerSecond,
    (rate * 3600 * bytesPerOrder) / 1e9 / lcu.gbPerHour,
  )
  return {
    receiverTasks: tasks,
    vcpuHours: tasks * o.receiver.vcpu * hoursPerMonth,
    gbHours: tasks * o.receiver.memoryGb * hoursPerMonth,
    lcuHours: lcus * hoursPerMonth,
    lcus,
    publishes: o.ordersPerMonth * chunks(o.orderKb),
  }
}

export function shared(o: CostOptions, p: Prices): Line[] {
  const u = sharedUsage(o)
  const ipHours = (u.receiverTasks + albAddresses) * hoursPerMonth
  return [
    {
      item: 'receiver tasks',
      detail: `${u.receiverTasks} at ${o.receiver.vcpu} vCPU / ${o.receiver.memoryGb} GB: ${count(u.vcpuHours)} vCPU-h × ${rate(p.fargateVcpuHour.value)} + ${count(u.gbHours)} GB-h × ${rate(p.fargateGbHour.value)}`,
      usd: u.vcpuHours * p.fargateVcpuHour.value + u.gbHours * p.fargateGbHour.value,
    },
    {
      item: 'public IPv4',
      detail: `${u.receiverTasks} receiver + ${albAddresses} ALB addresses × ${hoursPerMonth} h × ${rate(p.publicIpv4Hour.value)}`,
      usd: ipHours * p.publicIpv4Hour.value,
    },
    {
      item: 'ALB hours',
      detail: `${hoursPerMonth} h × ${rate(p.albHour.value)}`,
      usd: hoursPerMonth * p.albHour.value,
    },
    {
      item: 'ALB LCUs',
      detail: `${u.lcus.toPrecision(2)} LCU (a new connection per order) × ${hoursPerMonth} h × ${rate(p.albLcuHour.value)}`,
      usd: u.lcuHours * p.albLcuHour.value,
    },
    {
      item: 'SNS publishes',
      detail: `${count(u.publishes)} × ${perMillion(p.snsPublish.value)}`,
      usd: u.publishes * p.snsPublish.value,
    },
  ]
}
