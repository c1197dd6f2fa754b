import { type Logger, pino } from 'pino'

export type ServiceLogger = { logger: Logger; exit: (code: number) => never }

// `sync: false` suits a process that logs hundreds of lines a second: a blocking write per line
// stalls the event loop whenever the reader is slow. Either way exit() flushes what is buffered
// first, so the last lines before a process ends are never lost.
export function createLogger(name: string, level: string, { sync }: { sync: boolean }) {
  const destination = pino.destination({ sync })
  const logger = pino({ name, level }, destination)
  const exit = (code: number): never => {
    destination.flushSync()
    process.exit(code)
  }
  return { logger, exit } satisfies ServiceLogger
}
