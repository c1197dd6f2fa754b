import type { Server } from 'node:http'
import express, { type Express, type Request, type RequestHandler } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'

export function noRoute(req: Pick<Request, 'method' | 'path'>) {
  return { error: 'not_found', message: `no route for ${req.method} ${req.path}` }
}

export const answerNotFound: RequestHandler = (req, res) => {
  res.status(404).json(noRoute(req))
}

// Metrics get their own port (METRICS_PORT), which the load balancer and the health check never
// reach: request counts and failure reasons are for the operator's scraper, not the internet.
export function createMetricsApp(registry: Registry): Express {
  const app = express()
  app.disable('x-powered-by')
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics())
  })
  app.use(answerNotFound)
  return app
}

type Listen = {
  app: Express
  port: number
  host: string
  logger: Logger
  exit: (code: number) => never
  onListening: () => void
}

// A port that cannot be had ends the process at once, naming it, rather than an unhandled error.
export function listenOrExit({ app, port, host, logger, exit, onListening }: Listen): Server {
  return app.listen(port, host, (err) => {
    if (err) {
      logger.fatal({ err, host, port }, 'cannot listen')
      exit(1)
    }
    onListening()
  })
}

type ServeMetrics = Omit<Listen, 'app' | 'onListening'> & { registry: Registry }

export function serveMetrics({ registry, ...listen }: ServeMetrics): Server {
  const { host, port, logger } = listen
  return listenOrExit({
    ...listen,
    app: createMetricsApp(registry),
    onListening: () => logger.info({ host, port }, 'serving metrics'),
  })
}
