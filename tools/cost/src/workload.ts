import type { ServiceSize } from './manifest.ts'
import { hoursPerMonth } from './prices.ts'

export const secondsPerMonth = hoursPerMonth * 3600
// sqs-consumer's default WaitTimeSeconds, which the processor keeps: an idle consumer asks once
// every 20 s.
export const longPollSeconds = 20

export type CostOptions = {
  ordersPerMonth: number
  processingMs: number
  // PROCESSOR_CONCURRENCY: orders one processor task keeps in flight.
  concurrency: number
  // Consumers in one task that each long-poll when idle: the processor's pollersFor(concurrency).
  pollersPerTask: number
  // SQS requests the processor makes per order: a receive and a delete.
  sqsRequestsPerOrder: number
  lambdaMemoryMb: number
  lambdaArch: 'x86_64' | 'arm64'
  orderKb: number
  spotDiscount: number
  // Status GETs (GET /orders/{id}) a client makes per order, each a read of the orders table.
  statusPolls: number
  processor: ServiceSize
  receiver: ServiceSize
}

export const ordersPerSecond = (ordersPerMonth: number) => ordersPerMonth / secondsPerMonth
export const ordersPerMonthAt = (rate: number) => rate * secondsPerMonth

// SNS and SQS bill each started 64 KB of payload as one request.
export const chunks = (kb: number) => Math.max(1, Math.ceil(kb / 64))

// Little's law: orders in flight = arrival rate × time each one takes.
export const inFlight = (o: CostOptions) =>
  ordersPerSecond(o.ordersPerMonth) * (o.processingMs / 1000)

// The capacity rule: enough tasks for the orders in flight at PROCESSOR_CONCURRENCY each, never
// fewer than the manifest's minimum. The small tolerance keeps 3.0000000001 tasks at 3.
export function processorTasks(o: CostOptions): number {
  const needed = Math.ceil(inFlight(o) / o.concurrency - 1e-9)
  return Math.max(o.processor.minTasks, needed)
}

// Copilot's spot_from counts tasks: with spot_from 2 the first task is on-demand, the rest Spot.
export function spotSplit(tasks: number, spotFrom: number | undefined) {
  const onDemand = spotFrom === undefined ? tasks : Math.min(tasks, spotFrom - 1)
  return { onDemand, spot: tasks - onDemand }
}

// The receiver scales on requests per task (count.requests), never below its minimum.
export function receiverTasks(o: CostOptions): number {
  const perMinute = ordersPerSecond(o.ordersPerMonth) * 60
  const per = o.receiver.requestsPerTaskPerMinute
  const needed = per === undefined ? 0 : Math.ceil(perMinute / per - 1e-9)
  return Math.max(o.receiver.minTasks, needed)
}
