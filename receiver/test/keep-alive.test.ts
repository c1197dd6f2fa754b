import { once } from 'node:events'
import { createServer } from 'node:http'
import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { startReceiver } from './receiver-process.ts'

// Never contacted: these tests only ask /health.
const env = {
  ORDERS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:orders',
  ORDERS_TABLE_NAME: 'orders',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
}

async function connected(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  await once(socket, 'connect')
  return socket
}

// One GET on a raw connection, so nothing but the server decides when that connection closes.
// Resolves with the status line once the whole answer has arrived.
function get(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) {
      reject(new Error(`the server had closed the connection before ${path} was sent`))
      return
    }
    let text = ''
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1')
      const headersEnd = text.indexOf('\r\n\r\n')
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(text)?.[1] ?? 0)
      if (headersEnd < 0 || text.length < headersEnd + 4 + length) return
      done()
      resolve(text.slice(0, text.indexOf('\r\n')))
    }
    const onClose = () => {
      done()
      reject(new Error(`the server closed the connection before answering ${path}`))
    }
    const done = () => {
      socket.off('data', onData)
      socket.off('close', onClose)
    }
    socket.on('data', onData)
    socket.on('close', onClose)
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
  })
}

// Until a server with Node's defaults has closed an idle connection of its own: the idle time
// is measured by that server's own timer, never by a sleep here.
async function idleOnceWithNodeDefaults() {
  const control = createServer((_req, res) => res.end('ok'))
  control.listen(0, '127.0.0.1')
  await once(control, 'listening')
  try {
    const address = control.address()
    const socket = await connected(typeof address === 'object' && address ? address.port : 0)
    expect(await get(socket, '/')).toBe('HTTP/1.1 200 OK')
    await once(socket, 'close')
  } finally {
    control.close()
  }
}

const portOf = (base: string) => Number(new URL(base).port)

describe('receiver keep-alive', () => {
  it("when a keep-alive connection idles through two of Node's default timeouts, then it still serves the next request", async () => {
    const receiver = await startReceiver(env)
    try {
      const kept = await connected(portOf(receiver.base))
      expect(await get(kept, '/health')).toBe('HTTP/1.1 200 OK')

      // About 12 s: Node's default keepAliveTimeout (5 s, plus its 1 s buffer), twice over.
      await idleOnceWithNodeDefaults()
      await idleOnceWithNodeDefaults()

      expect(await get(kept, '/health')).toBe('HTTP/1.1 200 OK')
      kept.destroy()
    } finally {
      receiver.process.kill('SIGKILL')
    }
  }, 40_000)

  it('when SIGTERM arrives with an idle keep-alive connection, then the drain closes it at once and exits 0', async () => {
    const receiver = await startReceiver(env)
    try {
      const idle = await connected(portOf(receiver.base))
      expect(await get(idle, '/health')).toBe('HTTP/1.1 200 OK')
      const closed = once(idle, 'close')

      receiver.process.kill('SIGTERM')
      // Within the test's timeout, far below KEEP_ALIVE_TIMEOUT_MS (65 s) that would hold it open.
      await closed
      expect(await receiver.exited, receiver.output.join('\n')).toBe(0)
    } finally {
      receiver.process.kill('SIGKILL')
    }
  }, 15_000)
})
