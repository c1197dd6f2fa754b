import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'

// A TCP forwarder on 127.0.0.1 in front of an emulator that can be switched off: down() cuts every
// connection it carries and cuts each new one at once, as a store that went away; up() forwards
// again. Nothing is timed: the switch is the test's.
export async function startFailingProxy(targetPort: number) {
  const sockets = new Set<Socket>()
  let down = false

  const server = createServer((client) => {
    if (down) {
      client.destroy()
      return
    }
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {})
    }
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.pipe(upstream).pipe(client)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  const cut = () => {
    for (const socket of sockets) socket.destroy()
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    down: () => {
      down = true
      cut()
    },
    up: () => {
      down = false
    },
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve))
      cut()
      await closed
    },
  }
}
