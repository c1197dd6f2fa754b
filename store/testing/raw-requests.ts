import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createOrderStore, type OrderStore } from '../src/store.ts'

type Captured = { path: string; headers: Record<string, string>; body: string }
type Sent = Omit<Captured, 'body'> & { body: string | Uint8Array }

// For the benchmarks' ceilings: the bytes the SDK sends for one store request, captured once,
// then sent again over plain HTTP with a new order_id each time (of the same length, so the
// signed Content-Length still holds). dynalite checks no signature, so what is left to measure
// is the emulator's own cost, not the SDK's.
export async function rawRequests(
  target: { endpoint: string; tableName: string; maxSockets: number },
  ask: (store: OrderStore, orderId: string) => Promise<unknown>,
): Promise<() => Promise<void>> {
  const { endpoint, tableName, maxSockets } = target
  const template = randomUUID()
  let captured: Captured | undefined
  const capture = {
    async handle(req: Sent) {
      const body = typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString()
      captured = { path: req.path, headers: req.headers, body }
      return { response: { statusCode: 200, headers: {}, body: Buffer.from('{}') } }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  }
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: capture as never,
  })
  await ask(createOrderStore({ client, tableName }), template).catch(() => {})
  client.destroy()
  if (!captured?.body.includes(template)) throw new Error('no store request was captured')
  const { path, headers, body } = captured
  const url = new URL(endpoint)
  const agent = new Agent({ keepAlive: true, maxSockets })
  return () =>
    new Promise((resolve, reject) => {
      const sent = request(
        { agent, host: url.hostname, port: url.port, method: 'POST', path, headers },
        (res) => {
          res.resume().on('end', () => {
            if (res.statusCode === 200) resolve()
            else reject(new Error(`the table answered ${res.statusCode}`))
          })
        },
      )
      sent.on('error', reject).end(body.replace(template, randomUUID()))
    })
}
