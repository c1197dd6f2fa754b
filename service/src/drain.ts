import type { Logger } from 'pino'

// ECS sends SIGKILL 30 s after SIGTERM (the task's default stopTimeout); the deadline keeps the
// drain ahead of it, so a drain that hangs still ends with a line saying so.
export const SHUTDOWN_DEADLINE_MS = 25_000

type DrainOptions = {
  logger: Logger
  // Stops taking work, finishes what is in flight and closes the servers.
  drain: () => Promise<void>
  exit: (code: number) => never
  // Fields for the log lines, read when they are written (in-flight counts, for example).
  context?: () => Record<string, unknown>
  deadlineMs?: number
}

// SIGTERM (ECS, Docker, `make down`) or SIGINT (Ctrl-C): drain once, exit 0; past the deadline,
// or when the drain itself fails, exit 1.
export function drainOnSignals(options: DrainOptions): void {
  const { logger, drain, exit, context = () => ({}) } = options
  const deadlineMs = options.deadlineMs ?? SHUTDOWN_DEADLINE_MS
  let started = false
  async function shutdown(signal: string) {
    if (started) return
    started = true
    logger.info({ signal, ...context() }, 'draining')
    setTimeout(() => {
      logger.error({ deadlineMs, ...context() }, 'drain deadline passed; exiting')
      exit(1)
    }, deadlineMs).unref()
    try {
      await drain()
    } catch (err) {
      logger.error({ err }, 'drain failed')
      exit(1)
    }
    logger.info('stopped')
    exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}
