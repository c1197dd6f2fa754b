import { drainOnSignals } from '@orders/service/drain'
import { listenOrExit, serveMetrics } from '@orders/service/http'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { createApp } from './health-app.ts'

type Work = { start: () => void; drain: () => Promise<void>; readonly busy: number }

type HostOptions = {
  // Where /health (port) and /metrics (metricsPort) listen: the process's configuration.
  at: { host: string; port: number; metricsPort: number }
  registry: Registry
  logger: Logger
  work: Work
  // Flushes what the logger still buffers before the process ends.
  exit: (code: number) => never
  onStarted: () => void
}

// What the ECS worker and the local Lambda emulation share as processes: /health on PORT (503
// while draining), /metrics on METRICS_PORT, the work started once /health answers, and on
// SIGTERM or SIGINT no new work, in-flight orders finished, then exit 0.
export function hostWorker(options: HostOptions): void {
  const { at, registry, logger, work, exit, onStarted } = options
  const { host, port, metricsPort } = at
  let draining = false
  const server = listenOrExit({
    app: createApp({ isDraining: () => draining }),
    port,
    host,
    logger,
    exit,
    onListening: () => {
      work.start()
      onStarted()
    },
  })
  const metricsServer = serveMetrics({ registry, port: metricsPort, host, logger, exit })

  drainOnSignals({
    logger,
    exit,
    context: () => ({ inFlight: work.busy }),
    drain: async () => {
      draining = true
      await work.drain()
      server.close()
      // Scrapes keep working through the drain; the metrics port closes last.
      metricsServer.close()
    },
  })
}
