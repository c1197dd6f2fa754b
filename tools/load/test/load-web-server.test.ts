import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chartJs } from '../src/load/report.ts'
import { scenarios } from '../src/load/scenarios.ts'
import { sourcesFor } from '../src/load/sources.ts'
import { serveWeb, type WebServer } from '../src/load/web-server.ts'
import { createSession, type Snapshot } from '../src/load/web-session.ts'
import { startTestStack, type TestStack } from './load-stack.ts'

let stack: TestStack
let server: WebServer
let session: ReturnType<typeof createSession>
beforeAll(async () => {
  stack = await startTestStack()
  session = createSession({
    argv: [...stack.targets, '--out', stack.out],
    env: {},
    defaultOut: stack.out,
    sources: sourcesFor,
  })
  const page = { host: stack.host, scenarios: { async: scenarios.async, sync: scenarios.sync } }
  server = await serveWeb(session, { host: '127.0.0.1', port: 0, page })
}, 30_000)
afterAll(async () => {
  await session?.close()
  await server?.close()
  await stack?.stop()
})

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
const state = async () => ((await (await fetch(`${server.url}/state`)).json()) as Snapshot).state

// fetch() will not send a Host header of one's choosing; a browser led there by DNS would.
function getWithHost(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/`, { headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the live page server', () => {
  it('when the page is loaded, then chart.js comes from the tool itself and nothing from elsewhere', async () => {
    const html = await (await fetch(`${server.url}/`)).text()
    const sources = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1])
    expect(sources).toEqual(['/chart.umd.js'])
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/)
    const served = await fetch(`${server.url}/chart.umd.js`)
    expect(served.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(await served.text()).toBe(await chartJs())
  })

  it('when a request names another host, as after DNS rebinding, then it is refused', async () => {
    expect(await getWithHost('attacker.example:8089')).toBe(421)
    expect(await getWithHost(new URL(server.url).host)).toBe(200)
  })

  it('when another site posts to it, then no run starts', async () => {
    const foreign = await post(
      '/runs',
      { scenario: 'async' },
      { origin: 'http://attacker.example' },
    )
    expect(foreign.status).toBe(403)
    const form = await fetch(`${server.url}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"scenario":"async"}',
    })
    expect(form.status).toBe(403)
    expect(await state()).toBe('idle')
  })

  it('when the form is wrong, then the answer says what, as the command line would', async () => {
    const res = await post('/runs', { scenario: 'async', users: 'many' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      error: 'invalid_run',
      message: expect.stringContaining('--users must be a number'),
    })
    expect((await post('/runs', { scenario: 'compare' })).status).toBe(400)
  })

  it('when a run is under way, then another is refused until it is stopped and done', async () => {
    const started = await post('/runs', { scenario: 'async', users: '2', duration: '60' })
    expect(started.status).toBe(202)
    expect(await started.json()).toMatchObject({ run: { scenario: 'async', host: stack.host } })
    expect((await post('/runs', { scenario: 'async' })).status).toBe(409)
    await expect.poll(state, { timeout: 10_000 }).toBe('load')
    expect((await post('/runs/stop', {})).status).toBe(202)
    await expect.poll(state, { timeout: 30_000 }).toBe('done')
    const snapshot = (await (await fetch(`${server.url}/state`)).json()) as Snapshot
    expect(snapshot.outcome).toMatchObject({
      summary: { drain: { drained: true, balanced: true } },
    })
    expect(snapshot.ticks.length).toBeGreaterThan(0)
    expect((await post('/runs', { scenario: 'sync', users: '1', duration: '0.5' })).status).toBe(
      202,
    )
    await expect.poll(state, { timeout: 30_000 }).toBe('done')
  }, 60_000)
})
