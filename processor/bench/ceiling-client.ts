// One client process claiming new orders as fast as the table takes them (ceiling.ts runs it):
// CONCURRENCY callers for DURATION_MS, then one line of JSON with the claims made and the time.
// CLIENT=sdk claims through the store and the AWS SDK, as the processor does; CLIENT=raw sends
// the same request bytes over plain HTTP (the SDK's body for a claim, captured once, with a new
// order_id each time; dynalite checks no signature), which leaves dynalite's own cost alone.
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import { createDynamoClient } from '@orders/store/client'
import { createOrderStore } from '@orders/store/store'

const concurrency = Number(process.env.CONCURRENCY)
const tableName = process.env.ORDERS_TABLE_NAME ?? ''
const claimOf = (store: ReturnType<typeof createOrderStore>, orderId: string) =>
  store.claim({ orderId, owner: 'ceiling', leaseMs: 25_000 })

async function sdkClaims(): Promise<() => Promise<unknown>> {
  const client = createDynamoClient({ region: 'us-east-1', maxSockets: concurrency })
  const store = createOrderStore({ client, tableName, timeoutMs: 30_000, maxInFlight: concurrency })
  return () => claimOf(store, randomUUID())
}

type Captured = { path: string; headers: Record<string, string>; body: string }

async function rawClaims(): Promise<() => Promise<unknown>> {
  const template = randomUUID()
  let captured: Captured | undefined
  const capture = {
    async handle(req: { path: string; headers: Record<string, string>; body: string }) {
      captured = { path: req.path, headers: req.headers, body: String(req.body) }
      const body = Buffer.from('{"Attributes":{"attempts":{"N":"1"}}}')
      return { response: { statusCode: 200, headers: {}, body } }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  }
  const client = createDynamoClient({ region: 'us-east-1' })
  client.config.requestHandler = capture as never
  await claimOf(createOrderStore({ client, tableName }), template).catch(() => {})
  if (!captured?.body.includes(template)) throw new Error('no claim request captured')
  const { path, headers, body } = captured
  const url = new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '')
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  return () =>
    new Promise((resolve, reject) => {
      const sent = request(
        { agent, host: url.hostname, port: url.port, method: 'POST', path, headers },
        (res) => {
          res.resume().on('end', () => {
            if (res.statusCode === 200) resolve(undefined)
            else reject(new Error(`dynalite answered ${res.statusCode}`))
          })
        },
      )
      sent.on('error', reject).end(body.replace(template, randomUUID()))
    })
}

const claim = process.env.CLIENT === 'raw' ? await rawClaims() : await sdkClaims()
let writes = 0
const started = performance.now()
const deadline = started + Number(process.env.DURATION_MS)
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      await claim()
      writes += 1
    }
  }),
)
console.log(JSON.stringify({ writes, seconds: (performance.now() - started) / 1000 }))
process.exit(0)
