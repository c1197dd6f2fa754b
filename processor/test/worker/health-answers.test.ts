import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/worker/health-app.ts'

// What ECS and Docker health checks read, to the header.
describe('processor /health answers', () => {
  it.each([
    [false, 200, 'OK'],
    [true, 503, 'draining'],
  ])(
    'when draining is %s, then %i %s in plain text, with no X-Powered-By',
    async (draining, status, text) => {
      const res = await request(createApp({ isDraining: () => draining })).get('/health')
      expect(res.status).toBe(status)
      expect(res.text).toBe(text)
      expect(res.headers['content-type']).toMatch(/^text\/plain/)
      expect(res.headers['x-powered-by']).toBeUndefined()
    },
  )
})
