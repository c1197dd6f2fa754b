import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'

// A TCP forwarder on 127.0.0.1 in front of the emulator that passes requests on at once but holds
// every answer until release(): SNS at its slowest, for as long as the test needs, with no timer.
export async function startHoldingProxy(targetPort: number) {
  const clients = new Set<Socket>()
  let holding = true
  const held: (() => void)[] = []
  const deliver = (send: () => void) => (holding ? held.push(send) : send())

  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    clients.add(client)
    // A client that leaves takes its upstream connection along; errors end in 'close' on both.
    client.on('close', () => {
      clients.delete(client)
      upstream.destroy()
    })
    client.on('error', () => {})
    upstream.on('error', () => {})
    client.pipe(upstream)
    // Held in order with the answers, so a closing upstream never cuts an answer still held.
    upstream.on('data', (chunk: Buffer) => deliver(() => client.write(chunk)))
    upstream.on('end', () => deliver(() => client.end()))
    upstream.on('close', () =>
      deliver(() => {
        if (!client.writableEnded) client.destroy()
      }),
    )
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
      for (const client of clients) client.destroy()
      await closed
    },
  }
}
