// What the order core reports, whatever records it: the worker's Prometheus registry
// (core/metrics.ts) or the Lambda function's embedded metric format lines (lambda/emf-metrics.ts).
// The names are the same in both: orders_processed_total, orders_duplicate_total,
// orders_failed_total, orders_poison_total, orders_in_flight, order_processing_duration_seconds
// and order_end_to_end_seconds.
export type OrderMetrics = {
  // An order's payment starts and settles, whatever its end; a redelivery that waits for its
  // twin still running is in flight too.
  started: () => void
  settled: () => void
  // processingSeconds: the payment; endToEndSeconds: completion minus the order's created_at.
  completed: (seconds: { processingSeconds: number; endToEndSeconds: number }) => void
  duplicate: () => void
  failed: () => void
  poison: () => void
}
