// One client process claiming new orders as fast as the table takes them (ceiling.ts runs it):
// CONCURRENCY callers for DURATION_MS, then one line of JSON with the claims made and the time.
import { randomUUID } from 'node:crypto'
import { createDynamoClient } from '@orders/store/client'
import { createOrderStore } from '@orders/store/store'

const concurrency = Number(process.env.CONCURRENCY)
const client = createDynamoClient({ region: 'us-east-1', maxSockets: concurrency })
const store = createOrderStore({
  client,
  tableName: process.env.ORDERS_TABLE_NAME ?? '',
  timeoutMs: 30_000,
  maxInFlight: concurrency,
})
let writes = 0
const started = performance.now()
const deadline = started + Number(process.env.DURATION_MS)
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      await store.claim({ orderId: randomUUID(), owner: 'ceiling', leaseMs: 25_000 })
      writes += 1
    }
  }),
)
console.log(JSON.stringify({ writes, seconds: (performance.now() - started) / 1000 }))
client.destroy()
