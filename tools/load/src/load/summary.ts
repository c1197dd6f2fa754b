import type { LoadOptions } from './args.ts'
import type { ClientCompletion } from './client-completion.ts'
import {
  type CompletionLatency,
  type CompletionReading,
  completionLatency,
  unknown,
} from './completion.ts'
import type { DrainResult } from './drain.ts'
import type { QueueSample } from './monitor.ts'
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
  // With --follow: the same orders' completion as a client polling their Location saw it.
  follow: ClientCompletion | null
  files: { samples: string; queue: string; html: string }
}

export type Measured = {
  startedAt: Date
  loadStartS: number
  loadEndS: number
  totals: RequestTotals
  // The monitor's first sample, its sources' last errors, and the processor's histograms.
  baseline: QueueSample
  errors: { queue?: string; processor?: string }
  completions: readonly CompletionReading[]
  drain: DrainResult | undefined
  follow: ClientCompletion | undefined
}

export function summarize(o: LoadOptions, m: Measured): Summary {
  const { users, spawnRate, durationS, timeoutS, rate, expectStatus } = o
  const { drain, drainTimeoutS, follow } = o
  const { workers, concurrency, processingMs } = o.capacity
  return {
    scenario: o.scenario,
    description: o.description,
    startedAt: m.startedAt.toISOString(),
    host: o.host,
    path: o.path,
    mode: o.mode,
    settings: {
      ...{
        users,
        spawnRate,
        durationS,
        timeoutS,
        rate,
        expectStatus,
        drain,
        drainTimeoutS,
        follow,
      },
      ...{ workers, concurrency, processingMs },
    },
    queueEndpoint: o.endpoint ?? null,
    processor: o.processor ?? null,
    loadStartS: round(m.loadStartS, 3),
    loadEndS: m.loadEndS,
    loadSeconds: round(m.loadEndS - m.loadStartS, 3),
    totals: m.totals,
    queueDepth: { available: m.baseline.visible !== null, error: m.errors.queue ?? null },
    processorMetrics: {
      available: m.baseline.processed !== null,
      error: m.errors.processor ?? null,
    },
    drain: m.drain ?? null,
    // Async orders complete in the processor; sync ones inside their request, where the response
    // time already is the time to completion.
    completion:
      o.path === '/orders/async'
        ? completionLatency(m.completions[0], m.completions.at(-1))
        : unknown('sync orders complete inside their request: see the response times'),
    follow: m.follow ?? null,
    files: { samples: 'samples.jsonl', queue: 'queue.jsonl', html: 'report.html' },
  }
}
