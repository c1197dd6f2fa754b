import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'

// Who holds a lease: unique per process (a worker task, a Lambda sandbox, the local emulation),
// so a restarted process never mistakes an old lease for its own. A claim takes back an order
// whose lease is its owner's own, so one owner must run each order once at a time: the order
// core keeps the orders it is running and leaves a second delivery of one of them for later.
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}
