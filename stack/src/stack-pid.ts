import { readFileSync, rmSync, writeFileSync } from 'node:fs'
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

export function removePidFile(): void {
  rmSync(PID_FILE, { force: true })
}
