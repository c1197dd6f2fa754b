import { type Logger, pino } from 'pino'

export type Line = { msg: string; level: number } & Record<string, unknown>

// The receiver's lines as an operator's log search finds them: real pino JSON, read back in order.
export function capturedLogs(): { logger: Logger; lines: Line[]; line: (msg: string) => Line } {
  const lines: Line[] = []
  const stream = { write: (text: string) => lines.push(JSON.parse(text)) }
  const line = (msg: string) => {
    const found = lines.find((l) => l.msg === msg)
    if (found === undefined) throw new Error(`no line "${msg}" among ${lines.map((l) => l.msg)}`)
    return found
  }
  return { logger: pino({ level: 'info' }, stream), lines, line }
}
