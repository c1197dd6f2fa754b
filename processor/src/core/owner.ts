import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'

// Who holds a lease: unique per process (a worker task, a Lambda sandbox, the local emulation),
// so a restarted process never mistakes an old lease for its own. One owner runs each order it
// claims once at a time: a second delivery of it while it runs finds the lease held.
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}
