import type { Tick } from './live.ts'
import type { Monitor, QueueSample } from './monitor.ts'
import { backlogOf, deadSince, processedSince } from './pipeline.ts'
import { round } from './stats.ts'

export type EndToEnd = {
  accepted: number
  processed: number | null
  processedFrom: 'processor metrics' | 'queue depth' | null
  dlq: number | null
  remaining: number | null
  balanced: boolean
}

export function endToEnd(baseline: QueueSample, last: QueueSample, accepted: number): EndToEnd {
  const dlq = deadSince(baseline, last)
  const { value: processed, derived } = processedSince(baseline, last, accepted)
  return {
    accepted,
    processed,
    processedFrom: processed === null ? null : derived ? 'queue depth' : 'processor metrics',
    dlq,
    remaining: backlogOf(last),
    balanced: processed !== null && dlq !== null && accepted === processed + dlq,
  }
}

export type DrainResult = EndToEnd & {
  drained: boolean
  seconds: number | null
  timeoutS: number
  // When it gave up: the processing rate then, and how much longer the backlog would have taken.
  processingRate: number | null
  moreS: number | null
}

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
      const depth = backlogOf(sample)
      empties = depth === 0 ? empties + 1 : 0
      const { value: counted, derived } = processedSince(wait.baseline, sample, wait.accepted)
      const dead = deadSince(wait.baseline, sample) ?? 0
      if (!derived && counted !== null) {
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
  note?: (text: string) => void
  stop?: AbortSignal
  // The latest measurements, for the estimate when the wait gives up.
  latest: () => Tick | undefined
}

// After the load: keep sampling and account for every accepted order.
export async function watchDrain(monitor: Monitor, w: DrainWatch): Promise<DrainResult> {
  w.note?.(`load stopped; waiting up to ${w.timeoutS} s for the queue to drain`)
  const wait = {
    baseline: w.baseline,
    accepted: w.accepted,
    timeoutMs: w.timeoutS * 1000,
    stop: w.stop,
  }
  const { drained, last } = await waitForDrain(monitor, wait)
  const final = last ?? monitor.latest() ?? w.baseline
  const tick = drained ? undefined : w.latest()
  return {
    ...endToEnd(w.baseline, final, w.accepted),
    drained,
    // The sample that shows the drain can predate the last answer by a hair: that is 0 s, not -0.
    seconds: drained ? Math.max(0, round(final.t - w.loadEndS)) : null,
    timeoutS: w.timeoutS,
    processingRate: tick?.processedRate ?? null,
    moreS: tick?.drainEtaS ?? null,
  }
}
