import express from 'express'
import type { Registry } from 'prom-client'

// Metrics get their own port (METRICS_PORT), which the load balancer never routes to: request
// counts, publish latencies and rejection reasons are for the operator's scraper, not the internet.
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
