import { readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// `make up` runs in the foreground; `make down` from another terminal finds it through this file.
export const PID_FILE = fileURLToPath(new URL('../../.stack.pid', import.meta.url))

export function readStackPid(): number | undefined {
  try {
    const pid = Number(readFileSync(PID_FILE, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

export function removePidFile() {
  rmSync(PID_FILE, { force: true })
}
