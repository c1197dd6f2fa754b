import { type QueueFlags, queueEndpoint } from '../queue/endpoint.ts'

export type TargetFlags = QueueFlags & { host?: string; processor?: string }
export type Targets = { host: string; endpoint: string | undefined; processor: string | undefined }

// Where the load goes and where its queue is watched. A flag always wins. Against a receiver on
// this machine the embedded stack's ports are assumed (EMULATOR_PORT, PROCESSOR_METRICS_PORT from
// .env); against anything else the queue is read from AWS with the standard credentials, and the
// processor, a worker with no public address, is not scraped.
export function resolveTargets(flags: TargetFlags, env: NodeJS.ProcessEnv): Targets {
  const host = trimSlash(flags.host ?? `http://127.0.0.1:${env.RECEIVER_PORT || 8080}`)
  const local = isLoopback(host)
  return {
    host,
    endpoint: queueEndpoint(flags, env, local),
    processor:
      flags.processor ??
      (local ? `http://127.0.0.1:${env.PROCESSOR_METRICS_PORT || 9081}` : undefined),
  }
}

export function isLoopback(url: string): boolean {
  const { hostname } = new URL(url)
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.')
}

function trimSlash(url: string) {
  return url.replace(/\/+$/, '')
}
