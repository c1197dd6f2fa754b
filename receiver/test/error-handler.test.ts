import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { errorHandler, HttpError } from '../src/errors.ts'
import { createMetrics } from '../src/metrics.ts'
import { capturedLogs } from './captured-logs.ts'

// The receiver's one error handler, given what reaches it besides the app's own HttpErrors: the
// errors body-parser raises (a `type` and a `status`, as http-errors builds them), a 4xx from any
// other middleware, and failures that are the receiver's own.
function handlerFor(thrown: unknown) {
  const metrics = createMetrics()
  const logs = capturedLogs()
  const app = express()
  app.post('/orders/async', () => {
    throw thrown
  })
  app.use(errorHandler(logs.logger, metrics))
  return { app, metrics, ...logs }
}

const bodyParserError = (type: string, status: number) =>
  Object.assign(new Error(`body-parser: ${type}`), { type, status, expose: true })

const rejected = async (metrics: ReturnType<typeof createMetrics>) =>
  (await metrics.rejected.get()).values.map(({ labels, value }) => ({ labels, value }))

describe('the error handler', () => {
  it.each([
    ['entity.parse.failed', 400, 'invalid_json'],
    ['entity.too.large', 413, 'payload_too_large'],
    ['encoding.unsupported', 415, 'unsupported_encoding'],
    ['charset.unsupported', 415, 'unsupported_charset'],
    ['request.aborted', 400, 'request_aborted'],
    ['request.size.invalid', 400, 'bad_request'],
  ])(
    'when body-parser fails with %s, then %i %s with a message of its own',
    async (type, status, code) => {
      const { app, metrics, lines } = handlerFor(bodyParserError(type, status))
      const res = await request(app).post('/orders/async')
      expect(res.status).toBe(status)
      expect(res.body).toEqual({ error: code, message: expect.stringMatching(/\w+ \w+/) })
      expect(res.body.message).not.toContain('body-parser')
      expect(await rejected(metrics)).toEqual([{ labels: { reason: code }, value: 1 }])
      expect(lines).toEqual([])
    },
  )

  it('when the body is over the limit, then the message names the limit in KiB', async () => {
    const { app } = handlerFor(bodyParserError('entity.too.large', 413))
    const res = await request(app).post('/orders/async')
    expect(res.body.message).toBe('the request body is larger than 64 KiB')
  })

  it.each([400, 499])(
    'when another middleware fails with status %i, then the same status as bad_request',
    async (status) => {
      const { app } = handlerFor(Object.assign(new Error('unreadable'), { status }))
      const res = await request(app).post('/orders/async')
      expect(res.status).toBe(status)
      expect(res.body).toEqual({ error: 'bad_request', message: 'the request could not be read' })
    },
  )

  it.each([
    ['a plain Error', new Error('socket hang up')],
    ['an error with status 500', Object.assign(new Error('upstream'), { status: 500 })],
    ['an error with status 399', Object.assign(new Error('odd'), { status: 399 })],
    ['an HttpError 500', new HttpError(500, 'vault_down', 'the card vault at 10.0.0.7 is down')],
    ['a thrown string', 'oops'],
  ])(
    'when the failure is %s, then 500 internal_error, hidden from the client and logged',
    async (_kind, thrown) => {
      const { app, metrics, lines } = handlerFor(thrown)
      const res = await request(app).post('/orders/async')
      expect(res.status).toBe(500)
      expect(res.body).toEqual({
        error: 'internal_error',
        message: 'something went wrong on our side',
      })
      expect(res.headers['retry-after']).toBeUndefined()
      expect(await rejected(metrics)).toEqual([])
      expect(lines).toEqual([
        expect.objectContaining({
          level: 50,
          msg: 'unhandled error',
          method: 'POST',
          path: '/orders/async',
        }),
      ])
    },
  )

  it('when an HttpError 503 arrives, then Retry-After, its code and message, and no details leak', async () => {
    const { app, metrics } = handlerFor(
      new HttpError(503, 'publish_failed', 'retry later', { topic: 'arn:secret' }),
    )
    const res = await request(app).post('/orders/async')
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.body).toEqual({ error: 'publish_failed', message: 'retry later' })
    expect(await rejected(metrics)).toEqual([{ labels: { reason: 'publish_failed' }, value: 1 }])
  })

  it('when an HttpError 4xx carries details, then they are part of the answer', async () => {
    const { app } = handlerFor(
      new HttpError(422, 'unprocessable', 'look at issues', { issues: [1] }),
    )
    const res = await request(app).post('/orders/async')
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ error: 'unprocessable', message: 'look at issues', issues: [1] })
  })
})
