// What the order core reports, whatever records it: the worker's Prometheus registry
// (core/metrics.ts) or the Lambda function's embedded metric format lines (lambda/emf-metrics.ts).
// The names are the same in both: orders_processed_total, orders_duplicate_total,
// orders_failed_total, orders_poison_total, orders_in_flight, order_processing_duration_seconds
// and order_end_to_end_seconds; the registry adds orders_terminal_total.
export type OrderMetrics = {
  // An order's claim and payment start and settle, whatever their end.
  started: () => void
  settled: () => void
  // processingSeconds: the payment; endToEndSeconds: completion minus the order's created_at.
  completed: (seconds: { processingSeconds: number; endToEndSeconds: number }) => void
  duplicate: () => void
  // An attempt whose payment failed, the last one included.
  failed: () => void
  poison: () => void
  // This process moved the order to a terminal status.
  terminal: (status: 'completed' | 'failed') => void
}
