import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { createApp } from './app.ts'
import { createMetricsApp } from './metrics-server.ts'

// ECS sends SIGKILL 30 s after SIGTERM; the deadline keeps the drain ahead of it.
const SHUTDOWN_DEADLINE_MS = 25_000

type Work = { start: () => void; drain: () => Promise<void>; readonly busy: number }

type HostOptions = {
  host: string
  port: number
  metricsPort: number
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
  const { host, port, metricsPort, registry, logger, work, exit, onStarted } = options
  let draining = false
  const server = createApp({ isDraining: () => draining }).listen(port, host, (err) => {
    if (err) {
      logger.fatal({ err, port }, 'cannot listen')
      exit(1)
    }
    work.start()
    onStarted()
  })
  const metricsServer = createMetricsApp(registry).listen(metricsPort, host, (err) => {
    if (err) {
      logger.fatal({ err, port: metricsPort }, 'cannot listen for metrics')
      exit(1)
    }
    logger.info({ host, port: metricsPort }, 'serving metrics')
  })

  async function shutdown(signal: string) {
    draining = true
    logger.info({ signal, inFlight: work.busy }, 'draining')
    setTimeout(() => {
      logger.error({ inFlight: work.busy }, 'drain deadline passed; exiting')
      exit(1)
    }, SHUTDOWN_DEADLINE_MS).unref()
    await work.drain()
    server.close()
    // Scrapes keep working through the drain; the metrics port closes last.
    metricsServer.close()
    logger.info('stopped')
    exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}
