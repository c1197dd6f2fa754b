import type { IncomingMessage } from 'node:http'
import { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import dynalite from 'dynalite'
import type { Emulator } from './emulator-handle.ts'

// dynalite: DynamoDB in memory, in this process, with no Java and no download. Like fauxqs it
// checks no signatures, so it listens on the loopback alone unless a container publishes it.
// Tables are ACTIVE within a moment (createTableMs 0): provisioning waits for it all the same.
// onRequest sees every request as it arrives (the benchmark counts them by X-Amz-Target).
export async function startDynamoEmulator(
  port = 0,
  host = '127.0.0.1',
  onRequest?: (request: IncomingMessage) => void,
): Promise<Emulator> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  if (onRequest) server.prependListener('request', onRequest)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host
  return {
    endpoint: `http://${reachable}:${address.port}`,
    port: address.port,
    // Only the HTTP server closes. dynalite's own close() also closes its store, and a request
    // still being handled then (a client killed mid-write) throws from dynalite's callbacks,
    // outside any handler; the in-memory store goes with the process instead.
    stop: () =>
      new Promise<void>((resolve) => {
        Server.prototype.close.call(server, () => resolve())
        // Clients keep their sockets alive; close() alone would wait for them.
        server.closeAllConnections()
      }),
  }
}
