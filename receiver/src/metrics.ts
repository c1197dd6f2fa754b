import { createStoreMetrics } from '@orders/store/metrics'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export type ReceiverMetrics = ReturnType<typeof createMetrics>

export function createMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    accepted: new Counter({
      name: 'orders_accepted_total',
      help: 'Orders accepted, by endpoint mode',
      labelNames: ['mode'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'orders_rejected_total',
      help: 'Order requests refused, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    syncInFlight: new Gauge({
      name: 'sync_orders_in_flight',
      help: 'Sync orders being paid (at most SYNC_CONCURRENCY)',
      registers: [registry],
    }),
    syncWaiting: new Gauge({
      name: 'sync_orders_waiting',
      help: 'Sync orders waiting for a payment slot (at most SYNC_QUEUE_LIMIT)',
      registers: [registry],
    }),
    syncAbandoned: new Counter({
      name: 'sync_orders_abandoned_total',
      help: 'Sync orders whose client left before the answer: while waiting (the payment never ran) or while paying (it ran; the answer was lost)',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    publishSeconds: new Histogram({
      name: 'sns_publish_duration_seconds',
      help: 'Time until SNS acknowledged (or failed) a publish',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    awaitingAck: new Gauge({
      name: 'async_orders_awaiting_ack',
      help: 'Async orders waiting for the orders table and SNS to acknowledge them (at most PUBLISH_WAITING_LIMIT)',
      registers: [registry],
    }),
    // Request latency by operation and outcome, and the store's own condition failures.
    store: createStoreMetrics(registry),
    alreadyRecorded: new Counter({
      name: 'orders_already_recorded_total',
      help: 'Order requests whose order_id was recorded before (the PutItem condition failed), by mode and what became of them: retry_same_content (answered as the first, nothing new), retry_resumed (not known published or paid: published or paid now), in_progress, conflict',
      labelNames: ['mode', 'reason'] as const,
      registers: [registry],
    }),
    statusRequests: new Counter({
      name: 'order_status_requests_total',
      help: "GET /orders/{order_id} requests, by result: the order's status, not_found, invalid_id or unavailable",
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    publishWaiting: new Gauge({
      name: 'sns_publish_waiting',
      help: 'Orders waiting for their PublishBatch to be sent (at most PUBLISH_LINGER_MS)',
      registers: [registry],
    }),
    publishBatchEntries: new Histogram({
      name: 'sns_publish_batch_entries',
      help: 'Orders carried by each SNS call of the batcher (1 goes out as a plain Publish)',
      buckets: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      registers: [registry],
    }),
    httpSeconds: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  }
}
