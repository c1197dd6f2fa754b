import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { prettyFactory } from 'pino-pretty'

export type Child = { name: string; process: ChildProcess; exited: Promise<number | null> }

const colours = { receiver: '\x1b[36m', processor: '\x1b[35m' } as Record<string, string>

// Runs a service as its own Node process and prints its pino JSON as readable, prefixed lines.
export function startChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const tty = process.stdout.isTTY
  const pretty = prettyFactory({
    colorize: tty,
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
  })
  const prefix = tty ? `${colours[name] ?? ''}${name.padEnd(9)}\x1b[0m| ` : `${name.padEnd(9)}| `
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      const text = line.startsWith('{') ? pretty(line).trimEnd() : line
      process.stdout.write(`${prefix}${text}\n`)
    })
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return { name, process: child, exited }
}

// SIGTERM lets each service drain; a service that outlives the grace period is killed.
export async function stopChild(child: Child, graceMs = 30_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return
  child.process.kill('SIGTERM')
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs)
  await child.exited
  clearTimeout(timer)
}
