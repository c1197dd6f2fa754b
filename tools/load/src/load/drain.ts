import type { Monitor, QueueSample } from './monitor.ts'
import { createProgress, type ProgressSink, queueText } from './progress.ts'
import { round } from './stats.ts'

export type EndToEnd = {
  accepted: number
  processed: number | null
  processedFrom: 'processor metrics' | 'queue depth' | null
  dlq: number | null
  remaining: number | null
  balanced: boolean
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b)
const depthOf = (s: QueueSample) => (s.visible === null ? null : s.visible + (s.inFlight ?? 0))

// Everything is counted from the baseline read before the first request, so a queue that already
// held messages, or a processor that ran before, does not skew this run's numbers.
export function endToEnd(baseline: QueueSample, last: QueueSample, accepted: number): EndToEnd {
  const dlq = diff(last.dlq, baseline.dlq)
  const grown = diff(depthOf(last), depthOf(baseline))
  const counted = diff(last.processed, baseline.processed)
  // Without the processor's counter, whatever was accepted and is neither queued nor dead was
  // processed.
  const derived = grown === null ? null : accepted - grown - (dlq ?? 0)
  const processed = counted ?? derived
  return {
    accepted,
    processed,
    processedFrom: counted !== null ? 'processor metrics' : derived !== null ? 'queue depth' : null,
    dlq,
    remaining: depthOf(last),
    balanced: processed !== null && dlq !== null && accepted === processed + dlq,
  }
}

export type DrainResult = EndToEnd & { drained: boolean; seconds: number | null; timeoutS: number }

export type DrainWait = {
  baseline: QueueSample
  accepted: number
  timeoutMs: number
  stop?: AbortSignal
}
export type Drained = { drained: boolean; last: QueueSample | undefined }

// Drained means the processor has finished (its counter plus the DLQ account for every accepted
// order) and the queue reads empty. Without the counter, the queue must read empty twice in a row:
// AWS's approximate counts lag, and a message may still be on its way from SNS.
export function waitForDrain(monitor: Monitor, wait: DrainWait): Promise<Drained> {
  return new Promise((resolve) => {
    let empties = 0
    let last: QueueSample | undefined
    const finish = (drained: boolean) => {
      clearTimeout(timer)
      off()
      wait.stop?.removeEventListener('abort', abort)
      resolve({ drained, last })
    }
    const abort = () => finish(false)
    const timer = setTimeout(abort, wait.timeoutMs)
    wait.stop?.addEventListener('abort', abort)
    const off = monitor.onSample((sample) => {
      last = sample
      const depth = depthOf(sample)
      empties = depth === 0 ? empties + 1 : 0
      const counted = diff(sample.processed, wait.baseline.processed)
      const dead = diff(sample.dlq, wait.baseline.dlq) ?? 0
      if (counted !== null) {
        if (counted + dead >= wait.accepted && (depth === null || depth === 0)) finish(true)
      } else if (empties >= 2) finish(true)
    })
    if (wait.stop?.aborted) finish(false)
  })
}

export function canWatchDrain(baseline: QueueSample): boolean {
  return baseline.visible !== null || baseline.processed !== null
}

export type DrainWatch = {
  baseline: QueueSample
  accepted: number
  loadEndS: number
  timeoutS: number
  progress?: ProgressSink
  stop?: AbortSignal
}

// After the load: keep sampling, show it, and account for every accepted order.
export async function watchDrain(monitor: Monitor, w: DrainWatch): Promise<DrainResult> {
  w.progress?.write(`load stopped; waiting up to ${w.timeoutS} s for the queue to drain\n`)
  const progress = w.progress && createProgress(w.progress)
  const off = monitor.onSample((sample) => {
    const done = diff(sample.processed, w.baseline.processed)
    const processed = done === null ? '' : `  processed ${done} of ${w.accepted}`
    const since = sample.t - w.loadEndS
    progress?.update(
      since,
      `draining ${since.toFixed(0).padStart(4)}s  ${queueText(sample)}${processed}`,
    )
  })
  const wait = {
    baseline: w.baseline,
    accepted: w.accepted,
    timeoutMs: w.timeoutS * 1000,
    stop: w.stop,
  }
  const { drained, last } = await waitForDrain(monitor, wait)
  off()
  progress?.done()
  const final = last ?? monitor.latest() ?? w.baseline
  return {
    ...endToEnd(w.baseline, final, w.accepted),
    drained,
    // The sample that shows the drain can predate the last answer by a hair: that is 0 s, not -0.
    seconds: drained ? Math.max(0, round(final.t - w.loadEndS)) : null,
    timeoutS: w.timeoutS,
  }
}
