import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { startProcess } from '@orders/stack/children'
import { ensureTable } from '@orders/stack/table-provision'
import type { CountingEmulator } from './emulator.ts'

const client = fileURLToPath(new URL('./ceiling-client.ts', import.meta.url))

// The emulator's own ceiling for the processor's kind of request: claims (a conditional
// UpdateItem on a new order_id, exactly the processor's first write) from 100 callers at once in
// a client process of its own, as the processor is, for durationMs. Nothing else runs meanwhile.
export async function conditionalWriteCeiling(emulator: CountingEmulator, durationMs = 5000) {
  const { tableName } = await ensureTable(emulator.clients.dynamodb, `orders-${randomUUID()}`)
  const lines: string[] = []
  const child = startProcess(
    'ceiling',
    client,
    {
      PATH: process.env.PATH,
      ...emulator.env,
      ORDERS_TABLE_NAME: tableName,
      CONCURRENCY: '100',
      DURATION_MS: String(durationMs),
    },
    (line) => lines.push(line),
  )
  const code = await child.exited
  emulator.takeCounts()
  const result = lines.find((line) => line.startsWith('{"writes"'))
  if (code !== 0 || result === undefined)
    throw new Error(`ceiling client failed:\n${lines.join('\n')}`)
  const { writes, seconds } = JSON.parse(result) as { writes: number; seconds: number }
  return writes / seconds
}
