import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createPayment } from '@orders/order/payment'
import { awsClients } from '@orders/stack/aws'
import { pino } from 'pino'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { type AppDeps, createApp } from '../src/app.ts'
import { RETRY_AFTER_SECONDS } from '../src/errors.ts'
import { createMetrics } from '../src/metrics.ts'
import { createOrderPublisher } from '../src/publisher.ts'
import { startFailingProxy } from './failing-proxy.ts'
import { gatedPayment } from './gate.ts'
import { listen, postOrder } from './http-client.ts'
import { recordsOn, useLocalAws } from './local-aws.ts'
import { orderBody } from './order-body.ts'

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

function appWith(deps: Partial<AppDeps> = {}) {
  return createApp({
    records: recordsOn(local),
    publishOrder: createOrderPublisher({
      sns: local.aws.clients.sns,
      topicArn: local.queues.topicArn,
      timeoutMs: 2000,
    }),
    processOrder: createPayment(1),
    logger: silent,
    metrics: createMetrics(),
    syncConcurrency: 1,
    syncQueueLimit: 0,
    ...deps,
  })
}

type Answer = { status: number; headers: Record<string, string | undefined>; body: unknown }

const post = (type: string, body: string, path = '/orders/async') =>
  request(appWith()).post(path).set('Content-Type', type).send(body)

// One request for each code the table names.
const simpleRecipes: Record<string, () => Promise<Answer>> = {
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
    const payment = gatedPayment()
    const { base, close } = await listen(appWith({ processOrder: payment.processOrder }))
    try {
      const first = postOrder(base, '/orders/sync')
      await expect.poll(() => payment.started.length).toBe(1)
      const shed = await postOrder(base, '/orders/sync').answer
      payment.open()
      expect((await first.answer).status).toBe(200)
      return { ...shed, headers: shed.headers as Answer['headers'] }
    } finally {
      await close()
    }
  },
}

// The recipes that need more than one request: an order the table already knows.
const sent = (app: ReturnType<typeof appWith>, path: string, body: object) =>
  request(app).post(path).set('Content-Type', json).send(JSON.stringify(body))

async function conflicting(): Promise<Answer> {
  const app = appWith()
  const body = orderBody()
  expect((await sent(app, '/orders/async', body)).status).toBe(202)
  return sent(app, '/orders/async', { ...body, customer_id: body.customer_id + 1 })
}

// The first request pays behind a gate; the same order again finds it held.
async function inProgress(): Promise<Answer> {
  const payment = gatedPayment()
  const app = appWith({ processOrder: payment.processOrder, syncConcurrency: 2 })
  const { base, close } = await listen(app)
  try {
    const first = postOrder(base, '/orders/sync')
    await expect.poll(() => payment.started.length).toBe(1)
    const again = await postOrder(base, '/orders/sync', first.orderId).answer
    payment.open()
    expect((await first.answer).status).toBe(200)
    return { ...again, headers: again.headers as Answer['headers'] }
  } finally {
    await close()
  }
}

async function failedBefore(): Promise<Answer> {
  const records = recordsOn(local)
  const app = appWith({ records })
  const body = orderBody()
  expect((await sent(app, '/orders/async', body)).status).toBe(202)
  expect(await records.fail({ orderId: body.order_id, errorCode: 'poison' })).toEqual({
    kind: 'failed',
  })
  return sent(app, '/orders/sync', body)
}

async function storeDown(): Promise<Answer> {
  const proxy = await startFailingProxy(local.aws.dynamo.port)
  const { dynamodb } = awsClients({ ...local.aws.env, AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint })
  try {
    proxy.down()
    const records = recordsOn(local, createMetrics(), { client: dynamodb, timeoutMs: 300 })
    return await sent(appWith({ records }), '/orders/async', orderBody())
  } finally {
    dynamodb.destroy()
    await proxy.close()
  }
}

const recipes: Record<string, () => Promise<Answer>> = {
  ...simpleRecipes,
  order_conflict: conflicting,
  order_in_progress: inProgress,
  order_failed: failedBefore,
  invalid_order_id: () => request(appWith()).get('/orders/no%20spaces'),
  order_not_found: () => request(appWith()).get(`/orders/${randomUUID()}`),
  store_unavailable: storeDown,
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
    // A held order is asked for again when its holder's lease ends, whatever that is.
    const retryAfter =
      row.error === 'order_in_progress'
        ? expect.stringMatching(/^[1-9]\d*$/)
        : String(RETRY_AFTER_SECONDS)
    expect(res.headers['retry-after']).toEqual(row.retryAfter ? retryAfter : undefined)
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
