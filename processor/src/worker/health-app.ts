import { answerNotFound } from '@orders/service/http'
import express from 'express'

type AppDeps = { isDraining: () => boolean }

// The worker's own HTTP surface: a health check for ECS and Docker. Metrics are served on the
// metrics port, never here.
export function createApp({ isDraining }: AppDeps) {
  const app = express()
  app.disable('x-powered-by')
  app.get('/health', (_req, res) => {
    if (isDraining()) res.status(503).type('text/plain').send('draining')
    else res.type('text/plain').send('OK')
  })
  app.use(answerNotFound)
  return app
}
