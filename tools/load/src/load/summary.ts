import type { LoadOptions } from './args.ts'
import type { CompletionLatency } from './completion.ts'
import type { DrainResult } from './drain.ts'
import { type RequestTotals, round } from './stats.ts'

// What one run records in summary.json: the report writer fills it, the HTML page renders it.
export type Summary = {
  scenario: string
  description: string
  startedAt: string
  host: string
  path: string
  mode: 'closed' | 'open'
  settings: Record<string, number | boolean>
  queueEndpoint: string | null
  processor: string | null
  // Seconds since the run started (the clock of every chart), and the length of the load, from
  // the first request sent to the last answer received.
  loadStartS: number
  loadEndS: number
  loadSeconds: number
  totals: RequestTotals
  queueDepth: { available: boolean; error: string | null }
  processorMetrics: { available: boolean; error: string | null }
  drain: DrainResult | null
  // Order created → completed by the processor, from its order_end_to_end_seconds histogram.
  completion: CompletionLatency
  files: { samples: string; queue: string; html: string }
}

export type Measured = {
  startedAt: Date
  loadStartS: number
  loadEndS: number
  totals: RequestTotals
  queueDepth: Summary['queueDepth']
  processorMetrics: Summary['processorMetrics']
  drain: DrainResult | undefined
  completion: CompletionLatency
}

export function summarize(o: LoadOptions, m: Measured): Summary {
  const { users, spawnRate, durationS, timeoutS, rate, expectStatus, drain, drainTimeoutS } = o
  const { workers, concurrency, processingMs } = o.capacity
  return {
    scenario: o.scenario,
    description: o.description,
    startedAt: m.startedAt.toISOString(),
    host: o.host,
    path: o.path,
    mode: o.mode,
    settings: {
      ...{ users, spawnRate, durationS, timeoutS, rate, expectStatus, drain, drainTimeoutS },
      ...{ workers, concurrency, processingMs },
    },
    queueEndpoint: o.endpoint ?? null,
    processor: o.processor ?? null,
    loadStartS: round(m.loadStartS, 3),
    loadEndS: m.loadEndS,
    loadSeconds: round(m.loadEndS - m.loadStartS, 3),
    totals: m.totals,
    queueDepth: m.queueDepth,
    processorMetrics: m.processorMetrics,
    drain: m.drain ?? null,
    completion: m.completion,
    files: { samples: 'samples.jsonl', queue: 'queue.jsonl', html: 'report.html' },
  }
}
