import { createPayment } from '@orders/order/payment'
import type { Express } from 'express'
import { pino } from 'pino'
import request from 'supertest'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { createMetrics } from '../src/metrics.ts'
import { recordsOn, useLocalAws } from './local-aws.ts'

const local = useLocalAws()
const metrics = createMetrics()
let published = 0
let app: Express
beforeAll(() => {
  app = createApp({
    records: recordsOn(local, metrics),
    publishOrder: async () => {
      published += 1
      return { messageId: 'never-expected' }
    },
    processOrder: createPayment(1),
    logger: pino({ level: 'silent' }),
    metrics,
    syncConcurrency: 2,
  })
})

const order =
  '{"order_id":"001","customer_id":123,"items":[{"product_id":"A","quantity":1,"price":1}]}'
const json = 'application/json'

type Case = {
  name: string
  method?: 'get' | 'post' | 'put' | 'delete' | 'patch'
  path?: string
  type?: string
  headers?: Record<string, string>
  body?: string
  status: number
  error: string
}

const cases: Case[] = [
  { name: 'malformed JSON', type: json, body: '{"order_id":', status: 400, error: 'invalid_json' },
  { name: 'a JSON string', type: json, body: '"order"', status: 400, error: 'invalid_json' },
  { name: 'an empty object', type: json, body: '{}', status: 400, error: 'invalid_order' },
  { name: 'a JSON array', type: json, body: '[]', status: 400, error: 'invalid_order' },
  { name: 'JSON null', type: json, body: 'null', status: 400, error: 'invalid_json' },
  { name: 'no body at all', status: 400, error: 'empty_body' },
  { name: 'an empty JSON body', type: json, body: '', status: 400, error: 'invalid_order' },
  {
    name: 'a body of 65 KiB',
    type: json,
    body: `{"pad":"${'x'.repeat(65 * 1024)}"}`,
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: 'text/plain',
    type: 'text/plain',
    body: order,
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a form post',
    type: 'application/x-www-form-urlencoded',
    body: 'order_id=1',
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a Latin-1 charset',
    type: `${json}; charset=latin1`,
    body: order,
    status: 415,
    error: 'unsupported_charset',
  },
  {
    name: 'an unknown Content-Encoding',
    type: json,
    headers: { 'Content-Encoding': 'compress' },
    body: order,
    status: 415,
    error: 'unsupported_encoding',
  },
  { name: 'an unknown route', method: 'get', path: '/orders', status: 404, error: 'not_found' },
  {
    name: 'a POST to an unknown route',
    path: '/orders/later',
    type: json,
    body: order,
    status: 404,
    error: 'not_found',
  },
  { name: 'GET on /orders/async', method: 'get', status: 405, error: 'method_not_allowed' },
  {
    name: 'PUT on /orders/sync',
    method: 'put',
    path: '/orders/sync',
    type: json,
    body: order,
    status: 405,
    error: 'method_not_allowed',
  },
  {
    name: 'DELETE on /health',
    method: 'delete',
    path: '/health',
    status: 405,
    error: 'method_not_allowed',
  },
]

describe('bad input', () => {
  it.each(cases)('when $name, then $status $error', async (c) => {
    let req = request(app)[c.method ?? 'post'](c.path ?? '/orders/async')
    if (c.type) req = req.set('Content-Type', c.type)
    for (const [name, value] of Object.entries(c.headers ?? {})) req = req.set(name, value)
    const res = await (c.body === undefined ? req : req.send(c.body))
    expect(res.status).toBe(c.status)
    expect(res.body).toMatchObject({ error: c.error, message: expect.any(String) })
    if (c.status === 405) expect(res.headers.allow).toMatch(/GET|POST/)
  })

  it('when the schema is violated, then 400 lists every problem with its field path', async () => {
    const res = await request(app)
      .post('/orders/sync')
      .send({ order_id: 'no spaces', customer_id: '1', items: [{ product_id: 'A', quantity: 0 }] })
    expect(res.status).toBe(400)
    expect(res.body.issues.map((issue: { path: string }) => issue.path)).toEqual([
      'order_id',
      'customer_id',
      'items.0.quantity',
      'items.0.price',
    ])
  })

  it('when every bad request has been answered, then nothing was published or recorded', async () => {
    expect(published).toBe(0)
    expect(await metrics.registry.metrics()).not.toContain(
      'orders_store_request_duration_seconds_count',
    )
  })

  it('when a client sends garbage bytes, then the server still answers the next request', async () => {
    await request(app).post('/orders/async').set('Content-Type', json).send('\u0000\uffff{')
    const res = await request(app).get('/health')
    expect(res.status).toBe(200)
  })
})
