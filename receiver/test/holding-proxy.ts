import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'

// A TCP forwarder on 127.0.0.1 in front of the emulator that passes requests on at once but holds
// every answer until release(): SNS at its slowest, for as long as the test needs, with no timer.
export async function startHoldingProxy(targetPort: number) {
  const sockets = new Set<Socket>()
  let holding = true
  const held: (() => void)[] = []
  const deliver = (send: () => void) => (holding ? held.push(send) : send())

  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.on('data', (chunk: Buffer) => deliver(() => client.write(chunk)))
    upstream.on('end', () => deliver(() => client.end()))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  return {
    endpoint: `http://127.0.0.1:${port}`,
    release: () => {
      holding = false
      for (const send of held.splice(0)) send()
    },
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve))
      for (const socket of sockets) socket.destroy()
      await closed
    },
  }
}
