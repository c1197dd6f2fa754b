import { performance } from 'node:perf_hooks'
import { newOrder, type Order, parseOrderRequest } from '@orders/order/order'
import type { ProcessOrder } from '@orders/order/payment'
import express, { type RequestHandler } from 'express'
import pLimit from 'p-limit'
import type { Logger } from 'pino'
import { BODY_LIMIT_BYTES, errorHandler, HttpError, methodNotAllowed, notFound } from './errors.ts'
import type { ReceiverMetrics } from './metrics.ts'
import type { PublishOrder } from './publisher.ts'

export type AppDeps = {
  publishOrder: PublishOrder
  processOrder: ProcessOrder
  logger: Logger
  metrics: ReceiverMetrics
  syncConcurrency: number
}

export function createApp({
  publishOrder,
  processOrder,
  logger,
  metrics,
  syncConcurrency,
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

  // Payments beyond the limit wait in p-limit's queue instead of piling onto the event loop.
  const payment = pLimit(syncConcurrency)
  app
    .route('/orders/sync')
    .post(requireJson, parseJson, async (req, res) => {
      const order = acceptOrder(req.body)
      const started = performance.now()
      metrics.syncInFlight.inc()
      const completed = await payment(() => processOrder(order)).finally(() =>
        metrics.syncInFlight.dec(),
      )
      metrics.accepted.inc({ mode: 'sync' })
      logger.info(
        { orderId: order.order_id, durationMs: Math.round(performance.now() - started) },
        'order completed',
      )
      res.json(completed)
    })
    .all(methodNotAllowed('POST'))

  app
    .route('/orders/async')
    .post(requireJson, parseJson, async (req, res) => {
      const order = acceptOrder(req.body)
      const { messageId } = await publish(order)
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
