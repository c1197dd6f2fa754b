import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export type ProcessorMetrics = ReturnType<typeof createMetrics>

export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    processed: new Counter({
      name: 'orders_processed_total',
      help: 'Orders whose payment completed and whose message was handed back for deletion',
      registers: [registry],
    }),
    failed: new Counter({
      name: 'orders_failed_total',
      help: 'Processing attempts that failed and were left for redelivery',
      registers: [registry],
    }),
    poison: new Counter({
      name: 'orders_poison_total',
      help: 'Deliveries that can never succeed (not JSON, not an envelope, not an order)',
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'orders_duplicate_total',
      help: 'Deliveries of an order that was already completed or running; payment not repeated',
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
  }
}
