// The emulator's own ceiling for the receiver bench, in a process of its own: BENCH_CLIENTS
// loops, each sending the receiver's conditional PutItem (a new order's record) as soon as the
// previous one was answered, so that many are in flight at once. Writes are counted after
// BENCH_WARMUP_MS, for BENCH_DURATION_MS.
import { performance } from 'node:perf_hooks'
import { awsClients } from '@orders/stack/aws'
import { requestHash } from '@orders/store/records'
import { createOrderStore } from '@orders/store/store'

const clients = Number(process.env.BENCH_CLIENTS)
const warmupMs = Number(process.env.BENCH_WARMUP_MS)
const durationMs = Number(process.env.BENCH_DURATION_MS)

const { dynamodb } = awsClients(process.env)
const store = createOrderStore({
  client: dynamodb,
  tableName: process.env.ORDERS_TABLE_NAME ?? '',
  timeoutMs: 1000,
})

const measureFrom = performance.now() + warmupMs
const end = measureFrom + durationMs
let written = 0
let failed = 0

async function client(id: number) {
  for (let n = 0; performance.now() < end; n += 1) {
    const orderId = `ceiling-${process.pid}-${id}-${n}`
    const request = { order_id: orderId, customer_id: 1, items: [] }
    const created = await store
      .record({ orderId, requestHash: requestHash(request) })
      .then((result) => result.kind === 'created')
      .catch(() => false)
    const at = performance.now()
    if (at < measureFrom || at >= end) continue
    if (created) written += 1
    else failed += 1
  }
}

await Promise.all(Array.from({ length: clients }, (_, id) => client(id)))
dynamodb.destroy()
process.send?.({ writesPerS: written / (durationMs / 1000), failed })
