import { createStoreMetrics } from '@orders/store/metrics'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { OrderMetrics } from './order-metrics.ts'

export type ProcessorMetrics = ReturnType<typeof createMetrics>

// The Prometheus registry the worker serves on its metrics port (and the local Lambda delivery
// emulation on its own): the order core's metrics, which `orders` feeds, the orders table's,
// which `store` feeds, and the worker's SQS ones.
export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry })
  const collectors = createCollectors(registry)
  return {
    registry,
    ...collectors,
    orders: ordersInto(collectors),
    store: createStoreMetrics(registry),
  }
}

function createCollectors(registry: Registry) {
  return {
    processed: new Counter({
      name: 'orders_processed_total',
      help: 'Orders this process paid and recorded completed',
      registers: [registry],
    }),
    failed: new Counter({
      name: 'orders_failed_total',
      help: 'Processing attempts whose payment failed (the last attempt of an order included)',
      registers: [registry],
    }),
    terminal: new Counter({
      name: 'orders_terminal_total',
      help: 'Orders this process moved to a terminal status (completed or failed)',
      labelNames: ['status'],
      registers: [registry],
    }),
    poison: new Counter({
      name: 'orders_poison_total',
      help: 'Deliveries that can never succeed (not JSON, not an envelope, not an order)',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'orders_duplicate_total',
      help: 'Deliveries of an order already completed or failed; payment not repeated',
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'orders_in_flight',
      help: 'Orders being processed right now',
      registers: [registry],
    }),
    processingSeconds: new Histogram({
      name: 'order_processing_duration_seconds',
      help: 'Time spent processing one order',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 3, 4, 5, 10, 30],
      registers: [registry],
    }),
    // From 5 ms to 10 min, dense enough that p50/p95/p99 read from bucket deltas stay within
    // about a factor of 1.5: the time an order waited in the queue plus its payment.
    endToEndSeconds: new Histogram({
      name: 'order_end_to_end_seconds',
      help: "Completion time minus the order's created_at (accepted by the receiver)",
      buckets: [
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.35, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5,
        4, 5, 6, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600,
      ],
      registers: [registry],
    }),
    receiveErrors: new Counter({
      name: 'sqs_receive_errors_total',
      help: 'ReceiveMessage calls that failed (each is retried after a backoff)',
      registers: [registry],
    }),
    deletesAbandoned: new Counter({
      name: 'sqs_deletes_abandoned_total',
      help: 'Completed messages whose delete kept failing; left to be redelivered',
      registers: [registry],
    }),
  }
}

function ordersInto(metrics: ReturnType<typeof createCollectors>): OrderMetrics {
  return {
    started: () => metrics.inFlight.inc(),
    settled: () => metrics.inFlight.dec(),
    completed({ processingSeconds, endToEndSeconds }) {
      metrics.processed.inc()
      metrics.processingSeconds.observe(processingSeconds)
      metrics.endToEndSeconds.observe(endToEndSeconds)
    },
    duplicate: () => metrics.duplicates.inc(),
    failed: () => metrics.failed.inc(),
    poison: () => metrics.poison.inc(),
    terminal: (status) => metrics.terminal.inc({ status }),
  }
}
