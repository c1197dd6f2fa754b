import { once } from 'node:events'
import { connect, createServer, type Server, type Socket } from 'node:net'

export type SwitchableProxy = {
  endpoint: string
  // Closes the port and every connection through it: clients get ECONNREFUSED until restore().
  cut: () => Promise<void>
  restore: () => Promise<void>
  close: () => Promise<void>
}

// A TCP forwarder on 127.0.0.1 in front of the emulator, to make an SQS endpoint that refuses
// connections for a while and then comes back on the same address with the same queues.
export async function startSwitchableProxy(targetPort: number): Promise<SwitchableProxy> {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0

  async function listen() {
    const listening = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1')
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
    })
    listening.listen(port, '127.0.0.1')
    await once(listening, 'listening')
    const address = listening.address()
    if (address !== null && typeof address === 'object') port = address.port
    server = listening
  }

  async function cut() {
    const closing = server
    server = undefined
    if (closing === undefined) return
    const closed = new Promise((resolve) => closing.close(resolve))
    for (const socket of sockets) socket.destroy()
    await closed
  }

  await listen()
  return { endpoint: `http://127.0.0.1:${port}`, cut, restore: listen, close: cut }
}
