import { Counter, Histogram, type Registry } from 'prom-client'
import type { StoreHooks } from './requests.ts'

// The table as a service sees it: how long each request took, by operation and outcome
// (ok, condition_failed, error, timeout), and why conditions did not hold.
export function createStoreMetrics(registry: Registry): StoreHooks {
  const requests = new Histogram({
    name: 'orders_store_request_duration_seconds',
    help: 'DynamoDB requests to the orders table, by operation and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  const conditions = new Counter({
    name: 'orders_store_condition_failures_total',
    help: 'Conditional writes to the orders table that did not apply, by reason',
    labelNames: ['operation', 'reason'],
    registers: [registry],
  })
  return {
    request: ({ operation, outcome, seconds }) => requests.observe({ operation, outcome }, seconds),
    conditionFailed: (operation, reason) => conditions.inc({ operation, reason }),
  }
}
