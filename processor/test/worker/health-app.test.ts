import { createMetricsApp } from '@orders/service/http'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createMetrics } from '../../src/core/metrics.ts'
import { createApp } from '../../src/worker/health-app.ts'

describe('processor HTTP surface', () => {
  it('when running, then /health answers OK; while draining, 503', async () => {
    let draining = false
    const app = createApp({ isDraining: () => draining })
    expect((await request(app).get('/health')).text).toBe('OK')
    draining = true
    const res = await request(app).get('/health')
    expect(res.status).toBe(503)
  })

  it('when /metrics is asked on the health port, then 404 with the same JSON as any unknown route', async () => {
    const app = createApp({ isDraining: () => false })
    const [metrics, unknown] = await Promise.all([
      request(app).get('/metrics'),
      request(app).get('/x'),
    ])
    expect([metrics.status, unknown.status]).toEqual([404, 404])
    expect(metrics.body).toEqual({ error: 'not_found', message: 'no route for GET /metrics' })
    expect(unknown.body).toEqual({ error: 'not_found', message: 'no route for GET /x' })
  })
})

describe('processor metrics port', () => {
  it('when /metrics is scraped, then every processor metric is exposed', async () => {
    const metrics = createMetrics()
    metrics.processed.inc()
    const res = await request(createMetricsApp(metrics.registry)).get('/metrics')
    expect(res.status).toBe(200)
    expect(res.text).toMatch(/^orders_processed_total 1$/m)
    for (const name of [
      'orders_failed_total',
      'orders_in_flight',
      'order_processing_duration_seconds_bucket',
      'orders_duplicate_total',
      'orders_poison_total',
      'order_end_to_end_seconds_bucket',
      'sqs_receive_errors_total',
      'sqs_deletes_abandoned_total',
    ]) {
      expect(res.text).toContain(name)
    }
  })

  it('when anything but /metrics is asked there, then 404 JSON', async () => {
    const res = await request(createMetricsApp(createMetrics().registry)).get('/health')
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ error: 'not_found', message: 'no route for GET /health' })
  })
})
