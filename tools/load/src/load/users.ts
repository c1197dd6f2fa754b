import { setTimeout as sleep } from 'node:timers/promises'

type Send = () => Promise<void>

export type ClosedLoop = {
  users: number
  spawnRate: number
  durationMs: number
  send: Send
  stop?: AbortSignal
  thinkMs?: () => number
  // Told when a user joins (+1) and when it finishes (-1), for the users chart.
  onUsers?: (change: 1 | -1) => void
}

// Locust's model: a user sends, waits for the answer, thinks 0.1–0.5 s, and sends again. Users
// join at the spawn rate. At the deadline no new request starts; those in flight are awaited
// (each bounded by its timeout) so every request sent is counted.
export async function runClosedLoop({
  users,
  spawnRate,
  durationMs,
  send,
  stop,
  thinkMs = () => 100 + Math.random() * 400,
  onUsers,
}: ClosedLoop): Promise<void> {
  const started = performance.now()
  const remaining = () => durationMs - (performance.now() - started)
  const over = () => remaining() <= 0 || stop?.aborted === true

  async function user(index: number) {
    await pause((index / spawnRate) * 1000)
    if (over()) return
    onUsers?.(1)
    try {
      while (!over()) {
        await send()
        if (over()) return
        await pause(thinkMs())
      }
    } finally {
      onUsers?.(-1)
    }
  }

  async function pause(ms: number) {
    const wait = Math.min(ms, remaining())
    if (wait > 0) await sleep(wait, undefined, { signal: stop }).catch(() => {})
  }

  await Promise.all(Array.from({ length: users }, (_, index) => user(index)))
}

export type OpenLoop = { rate: number; durationMs: number; send: Send; stop?: AbortSignal }

// Arrivals at a fixed rate whatever the latency: a slow answer does not slow the next arrival,
// which is what a flash sale does to a service.
export async function runOpenLoop({ rate, durationMs, send, stop }: OpenLoop): Promise<void> {
  const total = Math.floor((rate * durationMs) / 1000)
  const started = performance.now()
  const inFlight = new Set<Promise<void>>()
  let sent = 0
  while (sent < total && stop?.aborted !== true) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1)
    for (; sent < due; sent += 1) {
      const request = send().finally(() => inFlight.delete(request))
      inFlight.add(request)
    }
    const nextAt = (sent * 1000) / rate
    const wait = Math.max(1, nextAt - (performance.now() - started))
    if (sent < total) await sleep(wait, undefined, { signal: stop }).catch(() => {})
  }
  await Promise.all(inFlight)
}
