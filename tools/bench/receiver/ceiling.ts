// The emulator's ceiling for the receiver bench, in a process of its own: BENCH_CLIENTS loops,
// each sending the receiver's conditional PutItem (a new order's record) as soon as the previous
// one was answered, so that many are in flight at once. Writes are counted after
// BENCH_WARMUP_MS, for BENCH_DURATION_MS. BENCH_CEILING=sdk writes through the store and the AWS
// SDK, as the receiver does; =raw sends the SDK's bytes over plain HTTP: dynalite's own ceiling.
import { performance } from 'node:perf_hooks'
import { awsClients } from '@orders/stack/aws'
import { requestHash } from '@orders/store/records'
import { createOrderStore, type OrderStore } from '@orders/store/store'
import { rawRequests } from '@orders/store/testing'

const clients = Number(process.env.BENCH_CLIENTS)
const warmupMs = Number(process.env.BENCH_WARMUP_MS)
const durationMs = Number(process.env.BENCH_DURATION_MS)
const tableName = process.env.ORDERS_TABLE_NAME ?? ''

const record = async (store: OrderStore, orderId: string) => {
  const request = { order_id: orderId, customer_id: 1, items: [] }
  const result = await store.record({ orderId, requestHash: requestHash(request) })
  return result.kind === 'created'
}

const { dynamodb } = awsClients(process.env)
const store = createOrderStore({ client: dynamodb, tableName, timeoutMs: 1000 })
let n = 0
const next =
  process.env.BENCH_CEILING === 'raw'
    ? await rawRequests(
        { endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', tableName, maxSockets: clients },
        record,
      ).then((send) => () => send().then(() => true))
    : () => record(store, `ceiling-${process.pid}-${n++}`)

const measureFrom = performance.now() + warmupMs
const end = measureFrom + durationMs
let written = 0
let failed = 0

async function client() {
  while (performance.now() < end) {
    const created = await next().catch(() => false)
    const at = performance.now()
    if (at < measureFrom || at >= end) continue
    if (created) written += 1
    else failed += 1
  }
}

await Promise.all(Array.from({ length: clients }, () => client()))
dynamodb.destroy()
process.send?.({ writesPerS: written / (durationMs / 1000), failed })
process.exit(0)
