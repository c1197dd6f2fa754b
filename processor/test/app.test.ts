import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { createMetrics } from '../src/metrics.ts'

describe('processor HTTP surface', () => {
  it('when running, then /health answers OK; while draining, 503', async () => {
    let draining = false
    const app = createApp({ metrics: createMetrics(), isDraining: () => draining })
    expect((await request(app).get('/health')).text).toBe('OK')
    draining = true
    const res = await request(app).get('/health')
    expect(res.status).toBe(503)
  })

  it('when /metrics is scraped, then every processor metric is exposed', async () => {
    const res = await request(createApp({ metrics: createMetrics(), isDraining: () => false })).get(
      '/metrics',
    )
    expect(res.status).toBe(200)
    for (const name of [
      'orders_processed_total',
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

  it('when a route is unknown, then 404 JSON', async () => {
    const res = await request(createApp({ metrics: createMetrics(), isDraining: () => false })).get(
      '/x',
    )
    expect(res.status).toBe(404)
    expect(res.body.error).toBe('not_found')
  })
})
