import { type Logger, pino } from 'pino'

export type LogLine = { msg: string; level: number } & Record<string, unknown>

// A real pino logger whose lines the test reads back as objects, in the order they were written.
export function capturingLogger(level = 'info'): { logger: Logger; logs: LogLine[] } {
  const logs: LogLine[] = []
  const logger = pino({ level }, { write: (line: string) => logs.push(JSON.parse(line)) })
  return { logger, logs }
}
