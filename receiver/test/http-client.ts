import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { type IncomingHttpHeaders, request, type Server } from 'node:http'
import type { Express } from 'express'
import { expect, onTestFinished } from 'vitest'

export type Answer = { status: number; headers: IncomingHttpHeaders; body: Record<string, unknown> }

// The app on a real port of 127.0.0.1, so that clients can hold, share and close connections.
export async function listen(app: Express) {
  const server: Server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    base: `http://127.0.0.1:${port}`,
    // Connections the server still holds open: one that a client closed is gone from it.
    connections: () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
      ),
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

// listen(), closed when the test that called it ends.
export async function listenDuringTest(app: Express) {
  const server = await listen(app)
  onTestFinished(server.close)
  return server
}

// One order POSTed on a connection of its own; leave() closes that connection, as a client that
// gives up does. `answered` is set once the whole answer has arrived.
export function postOrder(base: string, path: string, orderId = randomUUID()) {
  const body = JSON.stringify({
    order_id: orderId,
    customer_id: 1,
    items: [{ product_id: 'A', quantity: 1, price: 1 }],
  })
  const req = request(new URL(path, base), {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  })
  const sent = {
    orderId,
    answered: undefined as Answer | undefined,
    answer: new Promise<Answer>((resolve, reject) => {
      req.on('error', reject)
      req.on('response', (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => {
          sent.answered = {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(text),
          }
          resolve(sent.answered)
        })
      })
    }),
    leave: () => {
      sent.answer.catch(() => {})
      req.destroy()
    },
  }
  req.end(body)
  return sent
}

// The answer to a request the receiver shed: at once, with a hint of when to come back.
export function expectOverloaded(answer: Answer | undefined) {
  expect(answer?.status).toBe(503)
  expect(answer?.headers['retry-after']).toBe('5')
  expect(answer?.body).toEqual({ error: 'overloaded', message: expect.any(String) })
}
