import type { QueueSample } from './monitor.ts'
import { percentile, type Sample } from './stats.ts'

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

const WINDOW_MS = 5000

export function progressLine(
  elapsedMs: number,
  samples: readonly Sample[],
  queue: QueueSample | undefined,
): string {
  const recent = samples.filter((s) => s.start + s.ms >= elapsedMs - WINDOW_MS)
  const rps = recent.length / (Math.min(elapsedMs, WINDOW_MS) / 1000 || 1)
  const sorted = recent.map((s) => s.ms).sort((a, b) => a - b)
  const failures = samples.filter((s) => !s.ok).length
  return [
    `${(elapsedMs / 1000).toFixed(0).padStart(4)}s`,
    `${rps.toFixed(1).padStart(6)} req/s`,
    `p50 ${ms(percentile(sorted, 50))}`,
    `p95 ${ms(percentile(sorted, 95))}`,
    `${samples.length} reqs`,
    `${failures} failed`,
    queueText(queue),
  ].join('  ')
}

export function queueText(queue: QueueSample | undefined): string {
  if (!queue || queue.visible === null) return 'queue depth unavailable'
  return `queue ${queue.visible} visible / ${queue.inFlight} in flight / ${queue.dlq} DLQ`
}

function ms(value: number | null) {
  return value === null ? '   - ms' : `${Math.round(value).toString().padStart(4)} ms`
}
