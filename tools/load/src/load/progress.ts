import type { Tick } from './live.ts'
import type { QueueSample } from './monitor.ts'

export type ProgressSink = { write: (text: string) => void; isTTY?: boolean }

// On a terminal one line is rewritten in place; in a log (CI, a pipe) a plain line every few
// seconds keeps the output readable.
export function createProgress(sink: ProgressSink, plainEverySeconds = 5) {
  let lastPlain = Number.NEGATIVE_INFINITY
  let shown = false
  return {
    update(elapsedS: number, line: string) {
      if (sink.isTTY) {
        sink.write(`\r\x1b[2K${line}`)
        shown = true
      } else if (elapsedS - lastPlain >= plainEverySeconds) {
        sink.write(`${line}\n`)
        lastPlain = elapsedS
      }
    },
    done() {
      if (shown) sink.write('\n')
      shown = false
    },
  }
}

// The live line, from the same tick the web page charts.
export function progressLine(tick: Tick): string {
  return [
    `${tick.t.toFixed(0).padStart(4)}s`,
    `${tick.rps.toFixed(1).padStart(6)} req/s`,
    `p50 ${ms(tick.p50)}`,
    `p95 ${ms(tick.p95)}`,
    `${tick.requests} reqs`,
    `${tick.failures} failed`,
    queueText(tick),
  ].join('  ')
}

export function drainLine(tick: Tick, accepted: number): string {
  const since = (tick.sinceStopS ?? 0).toFixed(0).padStart(4)
  const processed = tick.processed === null ? '' : `  processed ${tick.processed} of ${accepted}`
  return `draining ${since}s  ${queueText(tick)}${processed}  ${drainEstimate(tick)}`
}

// "processing 3.3/s, drained in ~6 min": the backlog over the processing rate of the last
// seconds; the rate alone says nothing before a first order completes.
export function drainEstimate(tick: Pick<Tick, 'processedRate' | 'drainEtaS'>): string {
  if (tick.processedRate === null) return 'processing rate unknown'
  const rate = `processing ${tick.processedRate.toFixed(1)}/s`
  if (tick.drainEtaS === null) return `${rate}, no estimate while nothing completes`
  return `${rate}, drained in ${about(tick.drainEtaS)}`
}

export function about(seconds: number): string {
  if (seconds < 90) return `~${Math.round(seconds)} s`
  if (seconds < 90 * 60) return `~${Math.round(seconds / 60)} min`
  return `~${(seconds / 3600).toFixed(1)} h`
}

export function queueText(queue: Pick<QueueSample, 'visible' | 'inFlight' | 'dlq'> | undefined) {
  if (!queue || queue.visible === null) return 'queue depth unavailable'
  return `queue ${queue.visible} visible / ${queue.inFlight} in flight / ${queue.dlq} DLQ`
}

function ms(value: number | null) {
  return value === null ? '   - ms' : `${Math.round(value).toString().padStart(4)} ms`
}
