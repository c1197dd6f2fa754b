import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createPayment, type ProcessOrder } from '@orders/order/payment'
import { pino } from 'pino'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { RETRY_AFTER_SECONDS } from '../src/errors.ts'
import { createMetrics } from '../src/metrics.ts'
import { createOrderPublisher, type PublishOrder } from '../src/publisher.ts'
import { listen, postOrder } from './http-client.ts'
import { useLocalAws } from './local-aws.ts'

// README.md's error table, read from the page itself: a row added there without a request that
// produces it here fails, and so does a row whose status or code the receiver does not answer.
type Row = { request: string; status: number; retryAfter: boolean; error: string }

function readmeErrorTable(): Row[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const table = readme.split('\n| request ')[1]?.split('\n\n')[0] ?? ''
  return table
    .split('\n')
    .slice(2)
    .map((line) => {
      const [request = '', status = '', error = ''] = line.split('|').slice(1, -1)
      return {
        request: request.trim(),
        status: Number.parseInt(status, 10),
        retryAfter: status.includes('Retry-After'),
        error: error.trim().replaceAll('`', ''),
      }
    })
}

const local = useLocalAws()
const silent = pino({ level: 'silent' })
const json = 'application/json'
const validOrder = () =>
  JSON.stringify({
    order_id: randomUUID(),
    customer_id: 3,
    items: [{ product_id: 'SKU-1', quantity: 1, price: 2 }],
  })

function appWith(deps: { publishOrder?: PublishOrder; processOrder?: ProcessOrder } = {}) {
  return createApp({
    publishOrder:
      deps.publishOrder ??
      createOrderPublisher({
        sns: local.aws.clients.sns,
        topicArn: local.queues.topicArn,
        timeoutMs: 2000,
      }),
    processOrder: deps.processOrder ?? createPayment(1),
    logger: silent,
    metrics: createMetrics(),
    syncConcurrency: 1,
    syncQueueLimit: 0,
  })
}

type Answer = { status: number; headers: Record<string, string | undefined>; body: unknown }

const post = (type: string, body: string, path = '/orders/async') =>
  request(appWith()).post(path).set('Content-Type', type).send(body)

// One request for each code the table names.
const recipes: Record<string, () => Promise<Answer>> = {
  invalid_json: () => post(json, '{"order_id":'),
  invalid_order: () => post(json, '{"order_id":"no spaces"}'),
  payload_too_large: () => post(json, `{"pad":"${'x'.repeat(65 * 1024)}"}`),
  unsupported_media_type: () => post('text/plain', validOrder()),
  not_found: () => request(appWith()).get(`/orders/${randomUUID()}/status`),
  method_not_allowed: () => request(appWith()).get('/orders/async'),
  publish_failed: () =>
    request(
      appWith({
        publishOrder: createOrderPublisher({
          sns: local.aws.clients.sns,
          topicArn: 'arn:aws:sns:us-east-1:000000000000:no-such-topic',
          timeoutMs: 2000,
        }),
      }),
    )
      .post('/orders/async')
      .set('Content-Type', json)
      .send(validOrder()),
  // One payment slot, no queue: a second order while the first pays is shed.
  overloaded: async () => {
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const payments: string[] = []
    const app = appWith({
      processOrder: async (order) => {
        payments.push(order.order_id)
        await held
        return { ...order, status: 'completed' }
      },
    })
    const { base, close } = await listen(app)
    try {
      const first = postOrder(base, '/orders/sync')
      await expect.poll(() => payments.length).toBe(1)
      const shed = await postOrder(base, '/orders/sync').answer
      release()
      expect((await first.answer).status).toBe(200)
      return { ...shed, headers: shed.headers as Answer['headers'] }
    } finally {
      await close()
    }
  },
}

const rows = readmeErrorTable()

describe("README.md's error table", () => {
  it('when read, then it has a row for every code the receiver answers a client with', () => {
    expect(rows.map((row) => row.error).toSorted()).toEqual(Object.keys(recipes).toSorted())
  })

  it.each(rows)('when $request, then $status $error with a message', async (row) => {
    const recipe = recipes[row.error]
    if (recipe === undefined) throw new Error(`no request in this test produces ${row.error}`)
    const res = await recipe()
    expect(res.status).toBe(row.status)
    expect(res.body).toMatchObject({ error: row.error, message: expect.stringMatching(/\w+ \w+/) })
    expect(res.headers['retry-after']).toBe(
      row.retryAfter ? String(RETRY_AFTER_SECONDS) : undefined,
    )
  })

  it('when an order violates the schema, then every problem is listed in issues with its path', async () => {
    const res = await post(json, '{"order_id":"no spaces","customer_id":0,"items":[]}')
    expect(res.body.issues).toEqual([
      { path: 'order_id', message: expect.stringMatching(/\w/) },
      { path: 'customer_id', message: expect.stringMatching(/\w/) },
      { path: 'items', message: expect.stringMatching(/\w/) },
    ])
  })

  it('when the method is wrong, then Allow names the one that is not', async () => {
    const res = await request(appWith()).delete('/orders/sync')
    expect(res.headers.allow).toBe('POST')
    expect(res.body.message).toBe('DELETE is not allowed here; use POST')
    expect((await request(appWith()).post('/health')).headers.allow).toBe('GET, HEAD')
  })
})
