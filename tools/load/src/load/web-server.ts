import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chartJs } from './report.ts'
import { isLoopback } from './targets.ts'
import type { RunForm } from './web-form.ts'
import { type PageDefaults, renderPage } from './web-page.ts'
import type { createSession, SessionEvent } from './web-session.ts'

type Session = ReturnType<typeof createSession>
export type WebServer = { url: string; close: () => Promise<void> }

const BODY_LIMIT = 4096
// Proxies and browsers drop an SSE stream that stays silent; a comment keeps it open.
const HEARTBEAT_MS = 15_000

// The page, chart.js from node_modules, the event stream and two actions. Nothing is fetched
// from elsewhere, so the page works offline.
export async function serveWeb(
  session: Session,
  { host, port, page }: { host: string; port: number; page: PageDefaults },
): Promise<WebServer> {
  const chart = await chartJs()
  const html = renderPage(page)
  const allowRemote = !isLoopback(`http://${bracket(host)}`)
  const streams = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    route(req, res).catch((err: Error) =>
      answer(res, 500, { error: 'internal', message: err.message }),
    )
  })

  async function route(req: IncomingMessage, res: ServerResponse) {
    // Served to other machines only on --allow-remote; then any name may reach it.
    if (!allowRemote && !ownHost(req.headers.host)) {
      return answer(res, 421, { error: 'wrong_host', message: 'open the page at its own address' })
    }
    const path = new URL(req.url ?? '/', 'http://page').pathname
    const method = req.method ?? 'GET'
    if (path === '/' && method === 'GET') return send(res, 'text/html', html)
    if (path === '/chart.umd.js' && method === 'GET') return send(res, 'text/javascript', chart)
    if (path === '/state' && method === 'GET') return answer(res, 200, session.snapshot())
    if (path === '/events' && method === 'GET') return stream(res)
    if (path === '/runs' || path === '/runs/stop') {
      if (method !== 'POST')
        return answer(res, 405, { error: 'method_not_allowed', message: 'use POST' })
      const refused = refuseForeign(req)
      if (refused) return answer(res, 403, { error: 'forbidden', message: refused })
      if (path === '/runs/stop') return answer(res, 202, { state: session.stop() })
      const form = await readForm(req)
      if (!form)
        return answer(res, 400, {
          error: 'invalid_body',
          message: 'send the form as a JSON object',
        })
      const started = session.start(form)
      return started.ok
        ? answer(res, 202, { run: started.run })
        : answer(res, started.status, { error: started.error, message: started.message })
    }
    return answer(res, 404, { error: 'not_found', message: `no ${method} ${path}` })
  }

  function stream(res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
    res.write(event('snapshot', session.snapshot()))
    const off = session.subscribe((e: SessionEvent) => res.write(event(e.type, e)))
    const beat = setInterval(() => res.write(': beat\n\n'), HEARTBEAT_MS)
    streams.add(res)
    res.on('close', () => {
      off()
      clearInterval(beat)
      streams.delete(res)
    })
  }

  // A page on another site may POST to loopback too: only JSON (which needs CORS, never granted)
  // from this page's own origin starts or stops a run.
  function refuseForeign(req: IncomingMessage): string | undefined {
    if (!req.headers['content-type']?.startsWith('application/json')) return 'send application/json'
    const origin = req.headers.origin
    if (origin && origin !== `http://${req.headers.host}`) return `not from ${origin}`
    return undefined
  }

  // Against DNS rebinding: a name that resolves to 127.0.0.1 is still not this page's address.
  function ownHost(header: string | undefined) {
    const { port: bound } = server.address() as AddressInfo
    return ['127.0.0.1', 'localhost', '[::1]', host].some((name) => header === `${name}:${bound}`)
  }

  server.listen(port, host)
  await once(server, 'listening')
  const bound = (server.address() as AddressInfo).port
  return {
    url: `http://${bracket(host)}:${bound}`,
    async close() {
      for (const res of streams) res.end()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

async function readForm(req: IncomingMessage): Promise<RunForm | undefined> {
  let raw = ''
  for await (const chunk of req) {
    raw += chunk
    if (raw.length > BODY_LIMIT) return undefined
  }
  try {
    const form = JSON.parse(raw) as unknown
    if (typeof form !== 'object' || form === null || Array.isArray(form)) return undefined
    return Object.fromEntries(
      Object.entries(form).map(([key, value]) => [key, value === null ? '' : String(value)]),
    ) as RunForm
  } catch {
    return undefined
  }
}

function event(name: string, data: unknown) {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
}

function send(res: ServerResponse, type: string, body: string) {
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' })
  res.end(body)
}

function answer(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function bracket(host: string) {
  return host.includes(':') ? `[${host}]` : host
}
