import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

// `make up` runs in the foreground; `make down` from another terminal finds it through this file.
export const PID_FILE = fileURLToPath(new URL('../../.stack.pid', import.meta.url))

export function readStackPid(file = PID_FILE): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// A second stack on other ports (a test, a developer's experiment) must not take the file from
// the stack that `make down` is meant to stop: claim it only when no live stack holds it.
export function claimPidFile(file = PID_FILE): void {
  const holder = readStackPid(file)
  if (holder === undefined || !isAlive(holder)) writeFileSync(file, String(process.pid))
}

export function releasePidFile(file = PID_FILE): void {
  if (readStackPid(file) === process.pid) rmSync(file, { force: true })
}

// `make down`: SIGTERM lets the stack drain its services (up to 30 s each), then it exits by itself.
export async function stopEmbeddedStack(file = PID_FILE): Promise<number> {
  const pid = readStackPid(file)
  if (pid === undefined || !isAlive(pid)) {
    rmSync(file, { force: true })
    console.log('embedded stack is not running')
    return 0
  }
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + 40_000
  while (isAlive(pid) && Date.now() < deadline) await sleep(200)
  if (isAlive(pid)) {
    console.error(`embedded stack (pid ${pid}) did not stop within 40 s`)
    return 1
  }
  console.log('embedded stack stopped')
  return 0
}

export function embeddedStatus(file = PID_FILE): string {
  const pid = readStackPid(file)
  return pid !== undefined && isAlive(pid)
    ? `embedded stack running (pid ${pid})`
    : 'embedded stack not running'
}
