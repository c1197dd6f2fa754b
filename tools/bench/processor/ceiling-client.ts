// One client process claiming new orders as fast as the table takes them (ceiling.ts runs it):
// CONCURRENCY callers for DURATION_MS, then one line of JSON with the claims made and the time.
// CLIENT=sdk claims through the store and the AWS SDK, as the processor does; CLIENT=raw sends
// the SDK's bytes for a claim over plain HTTP, which leaves dynalite's own cost alone.
import { randomUUID } from 'node:crypto'
import { createDynamoClient } from '@orders/store/client'
import { createOrderStore, type OrderStore } from '@orders/store/store'
import { rawRequests } from '@orders/store/testing'

const concurrency = Number(process.env.CONCURRENCY)
const tableName = process.env.ORDERS_TABLE_NAME ?? ''
const claim = (store: OrderStore, orderId: string) =>
  store.claim({ orderId, owner: 'ceiling', leaseMs: 25_000 })

function sdkClaims() {
  const client = createDynamoClient({ region: 'us-east-1', maxSockets: concurrency })
  const store = createOrderStore({ client, tableName, timeoutMs: 30_000, maxInFlight: concurrency })
  return () => claim(store, randomUUID())
}

const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''
const next =
  process.env.CLIENT === 'raw'
    ? await rawRequests({ endpoint, tableName, maxSockets: concurrency }, claim)
    : sdkClaims()
let writes = 0
const started = performance.now()
const deadline = started + Number(process.env.DURATION_MS)
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      await next()
      writes += 1
    }
  }),
)
console.log(JSON.stringify({ writes, seconds: (performance.now() - started) / 1000 }))
process.exit(0)
