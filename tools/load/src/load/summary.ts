import type { CompletionLatency } from './completion.ts'
import type { DrainResult } from './drain.ts'
import type { RequestTotals } from './stats.ts'

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
