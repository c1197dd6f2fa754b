import { freePort } from '@orders/stack/ports'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postOrder } from '../src/load/request.ts'
import { type LoopbackServer, serveOnLoopback } from './http-server.ts'

let server: LoopbackServer
let base: string
const bodies: unknown[] = []

// Answers by path: /accept 202, /busy and /shed 503 (bare, and with the receiver's error code),
// /hang never.
beforeAll(async () => {
  server = await serveOnLoopback((req, res) => {
    let raw = ''
    req.on('data', (chunk) => {
      raw += chunk
    })
    req.on('end', () => {
      bodies.push(JSON.parse(raw))
      if (req.url === '/accept') res.writeHead(202).end('{}')
      if (req.url === '/busy') res.writeHead(503).end('{}')
      if (req.url === '/shed') {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
        res.end(JSON.stringify({ error: 'overloaded', message: 'try again later' }))
      }
      if (req.url === '/odd') res.writeHead(500).end(JSON.stringify({ error: '<b>no</b>' }))
    })
  })
  base = server.base
})

afterAll(() => server.close())

describe('postOrder', () => {
  it('when the expected status comes back, then it is a success carrying the order it sent', async () => {
    const outcome = await postOrder(`${base}/accept`, 'load-x-1', 2000, 202)
    expect(outcome).toMatchObject({ ok: true, status: 202 })
    expect(bodies.at(-1)).toMatchObject({
      order_id: 'load-x-1',
      items: [{ product_id: 'SKU-001' }],
    })
  })

  it('when another status comes back, then the failure is named after it', async () => {
    expect(await postOrder(`${base}/busy`, 'load-x-2', 2000, 202)).toMatchObject({
      ok: false,
      status: 503,
      failure: 'HTTP 503',
    })
    expect(await postOrder(`${base}/accept`, 'load-x-3', 2000, 200)).toMatchObject({
      failure: 'HTTP 202',
    })
  })

  it('when the answer carries an error code, then the failure is named after status and code', async () => {
    expect(await postOrder(`${base}/shed`, 'load-x-6', 2000, 202)).toMatchObject({
      ok: false,
      status: 503,
      failure: 'HTTP 503 overloaded',
    })
    // Anything but a short code is left out, so a body cannot invent failure kinds.
    expect(await postOrder(`${base}/odd`, 'load-x-7', 2000, 202)).toMatchObject({
      failure: 'HTTP 500',
    })
  })

  it('when no answer comes in time, then it is a client timeout', async () => {
    const outcome = await postOrder(`${base}/hang`, 'load-x-4', 100, 202)
    expect(outcome).toMatchObject({ ok: false, status: null, failure: 'client timeout' })
  })

  it('when nothing listens, then it is a connection error with the socket code', async () => {
    const outcome = await postOrder(`http://127.0.0.1:${await freePort()}/`, 'load-x-5', 2000, 202)
    expect(outcome).toMatchObject({ ok: false, failure: 'connection error', error: 'ECONNREFUSED' })
  })
})
