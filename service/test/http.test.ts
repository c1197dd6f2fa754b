import { Counter, Registry } from 'prom-client'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createMetricsApp, noRoute } from '../src/http.ts'

describe('createMetricsApp', () => {
  it('when /metrics is scraped, then it answers the registry in the Prometheus format', async () => {
    const registry = new Registry()
    new Counter({ name: 'things_total', help: 'things', registers: [registry] }).inc(3)
    const res = await request(createMetricsApp(registry)).get('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/plain')
    expect(res.text).toContain('things_total 3')
  })

  it('when another path is asked, then 404 with the JSON every service answers', async () => {
    const res = await request(createMetricsApp(new Registry())).post('/elsewhere')
    expect(res.status).toBe(404)
    expect(res.body).toEqual({ error: 'not_found', message: 'no route for POST /elsewhere' })
    expect(res.body).toEqual(noRoute({ method: 'POST', path: '/elsewhere' }))
  })
})
