import type { ServiceSize } from '../src/manifest.ts'
import { prices } from '../src/prices.ts'
import type { CostOptions } from '../src/workload.ts'

// A deployment of the manifests' shape and the default load, for the model's tests to vary.
const size = (over: Partial<ServiceSize> = {}): ServiceSize => ({
  vcpu: 0.25,
  memoryGb: 0.5,
  minTasks: 1,
  maxTasks: 10,
  spotFrom: 2,
  variables: {},
  requestsPerTaskPerMinute: 3000,
  ...over,
})

export const options = (over: Partial<CostOptions> = {}): CostOptions => ({
  ordersPerMonth: 10_000,
  processingMs: 3000,
  concurrency: 10,
  pollersPerTask: 10,
  sqsRequestsPerOrder: 2,
  lambdaMemoryMb: 128,
  lambdaArch: 'x86_64',
  orderKb: 1,
  spotDiscount: prices.fargateSpotDiscount.value,
  statusPolls: 1,
  processor: size(),
  receiver: size({ spotFrom: undefined, maxTasks: 4 }),
  ...over,
})

export const usdOf = (lines: { item: string; usd: number }[], item: string) =>
  lines.find((l) => l.item === item)?.usd
