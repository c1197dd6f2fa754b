import type { ProcessOrder } from '@orders/order/payment'
import express, { type RequestHandler } from 'express'
import type { Logger } from 'pino'
import { asyncOrders } from './async-orders.ts'
import {
  DEFAULT_PUBLISH_WAITING_LIMIT,
  DEFAULT_PUBLISH_WINDOW_MS,
  DEFAULT_SYNC_LEASE_MS,
} from './config.ts'
import { BODY_LIMIT_BYTES, errorHandler, HttpError, methodNotAllowed, notFound } from './errors.ts'
import type { PublishOrder } from './message.ts'
import type { ReceiverMetrics } from './metrics.ts'
import { orderStatus } from './order-status.ts'
import type { ReceiverRecords } from './records.ts'
import { syncOrders } from './sync-orders.ts'

export type AppDeps = {
  records: ReceiverRecords
  publishOrder: PublishOrder
  processOrder: ProcessOrder
  logger: Logger
  metrics: ReceiverMetrics
  syncConcurrency: number
  // Sync orders that may wait for a payment slot; SYNC_QUEUE_LIMIT, syncConcurrency when unset.
  syncQueueLimit?: number
  // Async orders that may wait for the table and SNS at once; PUBLISH_WAITING_LIMIT.
  publishWaitingLimit?: number
  // How long an async order's first request may still be publishing (config.ts).
  publishWindowMs?: number
  syncLeaseMs?: number
}

export function createApp({
  records,
  publishOrder,
  processOrder,
  logger,
  metrics,
  syncConcurrency,
  syncQueueLimit = syncConcurrency,
  publishWaitingLimit = DEFAULT_PUBLISH_WAITING_LIMIT,
  publishWindowMs = DEFAULT_PUBLISH_WINDOW_MS,
  syncLeaseMs = DEFAULT_SYNC_LEASE_MS,
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

  app
    .route('/orders/sync')
    .post(
      requireJson,
      parseJson,
      syncOrders({
        records,
        processOrder,
        logger,
        metrics,
        syncConcurrency,
        syncQueueLimit,
        syncLeaseMs,
      }),
    )
    .all(methodNotAllowed('POST'))

  app
    .route('/orders/async')
    .post(
      requireJson,
      parseJson,
      asyncOrders({ records, publishOrder, logger, metrics, publishWaitingLimit, publishWindowMs }),
    )
    .all(methodNotAllowed('POST'))

  // After the two POST routes, which no order may be named after (order-request.ts). Other
  // methods stay unknown routes (404): /orders/{id} is a status to read, nothing to send to.
  app.get('/orders/:orderId', orderStatus({ records, metrics }))

  app.use(notFound)
  app.use(errorHandler(logger, metrics))
  return app
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
