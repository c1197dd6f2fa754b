import type { Logger } from 'pino'

export const ERROR_LOG_INTERVAL_MS = 10_000

export type ErrorLog = { failed: (err: unknown) => void; succeeded: () => void }

type ErrorLogOptions = {
  intervalMs?: number
  now?: () => number
  // What becomes of a failed operation, as the first line says it.
  next?: string
}

// An SQS outage fails every retry of every receiver. Logging each one (with a stack) floods the
// logs exactly when they matter, so: one line when an operation starts failing, then at most one
// per interval with the count and the last error, and one when it works again.
export function createErrorLog(
  logger: Logger,
  operation: string,
  options: ErrorLogOptions = {},
): ErrorLog {
  const {
    intervalMs = ERROR_LOG_INTERVAL_MS,
    now = Date.now,
    next = 'retrying with backoff',
  } = options
  let failures = 0
  let since = 0
  let lastLine = 0
  return {
    failed(err) {
      failures += 1
      const at = now()
      if (failures === 1) {
        since = at
        lastLine = at
        logger.warn({ operation, error: describe(err) }, `${operation} failing; ${next}`)
      } else if (at - lastLine >= intervalMs) {
        lastLine = at
        logger.warn(
          { operation, failures, failingForMs: at - since, lastError: describe(err) },
          `${operation} still failing`,
        )
      }
    },
    succeeded() {
      if (failures === 0) return
      logger.info({ operation, failures, failedForMs: now() - since }, `${operation} recovered`)
      failures = 0
    },
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as { code?: unknown }).code
  return `${err.name}${typeof code === 'string' ? ` (${code})` : ''}: ${err.message}`
}
