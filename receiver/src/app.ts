import { performance } from 'node:perf_hooks'
import { newOrder, type Order, parseOrderRequest } from '@orders/order/order'
import type { ProcessOrder } from '@orders/order/payment'
import express, { type RequestHandler, type Response } from 'express'
import type { Logger } from 'pino'
import { createLimit, createSlots } from './admission.ts'
import { DEFAULT_PUBLISH_WAITING_LIMIT } from './config.ts'
import {
  BODY_LIMIT_BYTES,
  errorHandler,
  HttpError,
  methodNotAllowed,
  notFound,
  overloaded,
} from './errors.ts'
import type { PublishOrder } from './message.ts'
import type { ReceiverMetrics } from './metrics.ts'

export type AppDeps = {
  publishOrder: PublishOrder
  processOrder: ProcessOrder
  logger: Logger
  metrics: ReceiverMetrics
  syncConcurrency: number
  // Sync orders that may wait for a payment slot; SYNC_QUEUE_LIMIT, syncConcurrency when unset.
  syncQueueLimit?: number
  // Async orders that may wait for SNS at once; PUBLISH_WAITING_LIMIT.
  publishWaitingLimit?: number
}

export function createApp({
  publishOrder,
  processOrder,
  logger,
  metrics,
  syncConcurrency,
  syncQueueLimit = syncConcurrency,
  publishWaitingLimit = DEFAULT_PUBLISH_WAITING_LIMIT,
}: AppDeps) {
  const app = express()
  app.disable('x-powered-by')
  app.use(timeRequests(metrics))

  app
    .route('/health')
    .get((_req, res) => {
      res.type('text/plain').send('OK')
    })
    .all(methodNotAllowed('GET, HEAD'))

  const parseJson = express.json({ limit: BODY_LIMIT_BYTES, type: 'json' })

  const payments = createSlots({
    concurrency: syncConcurrency,
    queueLimit: syncQueueLimit,
    metrics,
  })
  app
    .route('/orders/sync')
    .post(requireJson, parseJson, async (req, res) => {
      const order = acceptOrder(req.body)
      const started = performance.now()
      const paid = await payments(() => processOrder(order), clientLeft(res))
      if (paid.outcome === 'overloaded') throw overloaded()
      const fields = {
        orderId: order.order_id,
        durationMs: Math.round(performance.now() - started),
      }
      if (paid.outcome === 'left') {
        metrics.syncAbandoned.inc({ stage: 'waiting' })
        logger.info(fields, 'client left before its payment started; not paid')
        return
      }
      // A payment that started is finished and recorded, whether or not its client is still there.
      metrics.accepted.inc({ mode: 'sync' })
      logger.info({ ...fields, clientLeft: paid.clientLeft }, 'order completed')
      if (paid.clientLeft) metrics.syncAbandoned.inc({ stage: 'paying' })
      else res.json(paid.value)
    })
    .all(methodNotAllowed('POST'))

  const awaitingAck = createLimit(publishWaitingLimit, metrics.awaitingAck)
  app
    .route('/orders/async')
    .post(requireJson, parseJson, async (req, res) => {
      const order = acceptOrder(req.body)
      const published = await awaitingAck(() => publish(order))
      if (published.outcome === 'overloaded') throw overloaded()
      const { messageId } = published.value
      metrics.accepted.inc({ mode: 'async' })
      logger.info({ orderId: order.order_id, messageId }, 'order accepted')
      res
        .status(202)
        .json({ order_id: order.order_id, status: order.status, message_id: messageId })
    })
    .all(methodNotAllowed('POST'))

  app.use(notFound)
  app.use(errorHandler(logger, metrics))
  return app

  async function publish(order: Order) {
    const stopTimer = metrics.publishSeconds.startTimer()
    try {
      const result = await publishOrder(order)
      stopTimer({ outcome: 'ok' })
      return result
    } catch (err) {
      stopTimer({ outcome: 'error' })
      logger.error({ err, orderId: order.order_id }, 'publish failed')
      throw new HttpError(503, 'publish_failed', 'the order could not be queued; retry later')
    }
  }
}

function acceptOrder(body: unknown): Order {
  const parsed = parseOrderRequest(body)
  if (!parsed.ok) {
    throw new HttpError(400, 'invalid_order', 'the order is not valid', { issues: parsed.issues })
  }
  return newOrder(parsed.value)
}

// Aborts when the connection closes before the answer was written: the client gave up or died.
function clientLeft(res: Response): AbortSignal {
  const left = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) left.abort()
  })
  return left.signal
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (req.is('json')) return next()
  const sentNothing = !req.headers['content-type'] && !(Number(req.headers['content-length']) > 0)
  if (sentNothing) throw new HttpError(400, 'empty_body', 'send the order as a JSON body')
  throw new HttpError(415, 'unsupported_media_type', 'send the order as application/json')
}

function timeRequests(metrics: ReceiverMetrics): RequestHandler {
  return (req, res, next) => {
    const stopTimer = metrics.httpSeconds.startTimer()
    res.on('finish', () => {
      // Label by route pattern, never the raw path, to keep the series count bounded.
      const route = typeof req.route?.path === 'string' ? req.route.path : 'unmatched'
      stopTimer({ method: req.method, route, status: res.statusCode })
    })
    next()
  }
}
