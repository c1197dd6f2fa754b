import express from 'express'
import type { Registry } from 'prom-client'

// Metrics get their own port (METRICS_PORT), apart from the health check, so that both services
// look alike: the public or probed port never serves them, a scraper on the metrics port does.
export function createMetricsApp(registry: Registry) {
  const app = express()
  app.disable('x-powered-by')
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics())
  })
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` })
  })
  return app
}
