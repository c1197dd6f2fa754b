import { randomUUID } from 'node:crypto'
import { ensureTable } from '@orders/stack/table-provision'
import { createOrderStore } from '@orders/store/store'
import type { CountingEmulator } from './emulator.ts'

const CONCURRENCY = 50

// The emulator's own ceiling for the processor's kind of request: claims (a conditional
// UpdateItem on a new order_id, exactly the processor's first write) from 50 callers at once in
// this process, for durationMs. Nothing else runs meanwhile.
export async function conditionalWriteCeiling(emulator: CountingEmulator, durationMs = 3000) {
  const { tableName } = await ensureTable(emulator.clients.dynamodb, `orders-${randomUUID()}`)
  const store = createOrderStore({
    client: emulator.clients.dynamodb,
    tableName,
    timeoutMs: 10_000,
  })
  let writes = 0
  const started = performance.now()
  const deadline = started + durationMs
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await store.claim({ orderId: randomUUID(), owner: 'ceiling', leaseMs: 25_000 })
        writes += 1
      }
    }),
  )
  emulator.takeCounts()
  return writes / ((performance.now() - started) / 1000)
}
