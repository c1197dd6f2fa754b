import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import type { Logger } from 'pino'
import type { OrderMetrics } from '../core/order-metrics.ts'

// On Lambda there is nothing to scrape: the function's metrics are lines of its log in
// CloudWatch's embedded metric format (EMF), from which CloudWatch Logs extracts them, without
// an API call or an agent. Per the specification (Amazon CloudWatch User Guide, "Specification:
// Embedded metric format", read 2026-12-01), a line is one JSON object whose `_aws` member holds
// a Timestamp in epoch milliseconds and CloudWatchMetrics: directives naming a Namespace, the
// Dimensions (sets of member names) and the Metrics (Name, Unit), whose values are members of
// the object itself. Powertools for AWS Lambda builds and validates that object.
export type EmfMetrics = OrderMetrics & {
  // Writes one line holding this invocation's values, then starts afresh.
  flush: () => void
}

type EmfOptions = {
  namespace: string
  // Powertools' own warnings (a metric it refuses, say) go to the function's log.
  logger: Logger
  write?: (line: string) => void
}

const counters = {
  processed: 'orders_processed_total',
  duplicates: 'orders_duplicate_total',
  failed: 'orders_failed_total',
  poison: 'orders_poison_total',
} as const

// Every line carries every counter, zeros included, so a sum over any period is complete and an
// alarm on failures sees 0 rather than missing data. In flight is sampled as each order starts.
export function createEmfMetrics({ namespace, logger, write = toStdout }: EmfOptions): EmfMetrics {
  const emf = new Metrics({ namespace, serviceName: 'processor', logger })
  const counts = { processed: 0, duplicates: 0, failed: 0, poison: 0 }
  let inFlight = 0
  return {
    started() {
      inFlight += 1
      emf.addMetric('orders_in_flight', MetricUnit.Count, inFlight)
    },
    settled() {
      inFlight -= 1
    },
    completed({ processingSeconds, endToEndSeconds }) {
      counts.processed += 1
      emf.addMetric('order_processing_duration_seconds', MetricUnit.Seconds, processingSeconds)
      emf.addMetric('order_end_to_end_seconds', MetricUnit.Seconds, endToEndSeconds)
    },
    duplicate: () => (counts.duplicates += 1),
    failed: () => (counts.failed += 1),
    poison: () => (counts.poison += 1),
    // Completed orders are orders_processed_total already; an order failed for good reaches the
    // on-failure destination, whose depth is the alarm to watch.
    terminal() {},
    flush() {
      for (const [key, name] of Object.entries(counters) as [keyof typeof counts, string][]) {
        emf.addMetric(name, MetricUnit.Count, counts[key])
        counts[key] = 0
      }
      write(JSON.stringify(emf.serializeMetrics()))
      emf.clearMetrics()
    },
  }
}

// Lambda sends the function's stdout to CloudWatch Logs line by line; the logger writes there too.
function toStdout(line: string) {
  process.stdout.write(`${line}\n`)
}
