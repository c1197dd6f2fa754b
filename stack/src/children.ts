import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { prettyFactory } from 'pino-pretty'

export type Child = { name: string; process: ChildProcess; exited: Promise<number | null> }

// Runs a Node script as its own process (the services, the stack) and hands every line it prints,
// stdout and stderr alike, to onLine.
export function startProcess(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
  args: string[] = [],
): Child {
  const child = spawn(process.execPath, [script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', onLine)
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return { name, process: child, exited }
}

const colours: Record<string, string> = { receiver: '\x1b[36m', processor: '\x1b[35m' }

// The embedded stack's view: pino JSON turned into readable lines prefixed with the service name.
export function startChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  const tty = process.stdout.isTTY
  const pretty = prettyFactory({
    colorize: tty,
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,hostname,name',
    singleLine: true,
  })
  const prefix = tty ? `${colours[name] ?? ''}${name.padEnd(9)}\x1b[0m| ` : `${name.padEnd(9)}| `
  return startProcess(name, script, env, (line) => {
    const text = line.startsWith('{') ? pretty(line).trimEnd() : line
    process.stdout.write(`${prefix}${text}\n`)
  })
}

// SIGTERM lets each service drain; a service that outlives the grace period is killed.
export async function stopChild(child: Child, graceMs = 30_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return
  child.process.kill('SIGTERM')
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs)
  await child.exited
  clearTimeout(timer)
}
