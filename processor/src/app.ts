import express from 'express'
import type { ProcessorMetrics } from './metrics.ts'

type AppDeps = { metrics: ProcessorMetrics; isDraining: () => boolean }

// The worker's own HTTP surface: a health check for ECS and Docker, and Prometheus metrics.
export function createApp({ metrics, isDraining }: AppDeps) {
  const app = express()
  app.disable('x-powered-by')
  app.get('/health', (_req, res) => {
    if (isDraining()) res.status(503).type('text/plain').send('draining')
    else res.type('text/plain').send('OK')
  })
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics())
  })
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` })
  })
  return app
}
