import { noRoute } from '@orders/service/http'
import { StoreUnavailableError } from '@orders/store/store'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'
import type { ReceiverMetrics } from './metrics.ts'

export const RETRY_AFTER_SECONDS = 5
export const BODY_LIMIT_BYTES = 64 * 1024

export class HttpError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor(
    status: number,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message)
    this.status = status
    this.code = code
    this.details = details
    this.headers = headers
  }
}

// More work than the receiver takes on at once: refused before it costs a payment or a socket.
export function overloaded(): HttpError {
  return new HttpError(503, 'overloaded', 'too many orders are in progress; retry later')
}

// The orders table did not answer in time or answered with an error: nothing was published or
// paid, and the same request later is safe.
export function storeUnavailable(): HttpError {
  return new HttpError(503, 'store_unavailable', 'the order could not be recorded; retry later')
}

// body-parser reports its failures with a `type`; each maps to what the client got wrong.
const bodyParserErrors: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': [
    413,
    'payload_too_large',
    `the request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`,
  ],
  'encoding.unsupported': [415, 'unsupported_encoding', 'the Content-Encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_charset', 'the body must be UTF-8 JSON'],
  'request.aborted': [400, 'request_aborted', 'the request body was not sent completely'],
  'request.size.invalid': [400, 'bad_request', 'the body length does not match Content-Length'],
}

function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err
  if (err instanceof StoreUnavailableError) return storeUnavailable()
  const type = (err as { type?: unknown } | null)?.type
  const known = typeof type === 'string' ? bodyParserErrors[type] : undefined
  if (known) return new HttpError(...known)
  const status = (err as { status?: unknown } | null)?.status
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, 'bad_request', 'the request could not be read')
  }
  return undefined
}

export const notFound: RequestHandler = (req, _res, next) => {
  const { error, message } = noRoute(req)
  next(new HttpError(404, error, message))
}

export function methodNotAllowed(allow: string): RequestHandler {
  return (req, res, next) => {
    res.set('Allow', allow)
    next(
      new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allow}`),
    )
  }
}

export function errorHandler(logger: Logger, metrics: ReceiverMetrics): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const httpError = toHttpError(err)
    // Refused orders only: what a status request got is counted by its own route.
    const refusedOrder = req.method === 'POST' && httpError !== undefined
    if (httpError) res.set(httpError.headers)
    if (httpError && httpError.status < 500) {
      if (refusedOrder && httpError.status !== 404 && httpError.status !== 405) {
        metrics.rejected.inc({ reason: httpError.code })
      }
      res.status(httpError.status).json({
        error: httpError.code,
        message: httpError.message,
        ...httpError.details,
      })
      return
    }
    if (httpError?.status === 503) {
      if (refusedOrder) metrics.rejected.inc({ reason: httpError.code })
      if (err instanceof StoreUnavailableError)
        logger.warn({ err, path: req.path }, 'store unavailable')
      res.set('Retry-After', String(RETRY_AFTER_SECONDS))
      res.status(503).json({ error: httpError.code, message: httpError.message })
      return
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error')
    res.status(500).json({ error: 'internal_error', message: 'something went wrong on our side' })
  }
}
