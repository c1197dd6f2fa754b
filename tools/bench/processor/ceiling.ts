import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { startProcess } from '@orders/stack/children'
import { ensureTable } from '@orders/stack/table-provision'
import type { CountingEmulator } from './emulator.ts'

const client = fileURLToPath(new URL('./ceiling-client.ts', import.meta.url))

// Ceilings for the processor's kind of request: claims (a conditional UpdateItem on a new
// order_id, exactly the processor's first write) from 100 callers at once in a client process of
// its own, as the processor is, for durationMs, with nothing else running. 'sdk' claims through
// the AWS SDK and so measures the SDK's CPU as much as the table; 'raw' sends the same bytes over
// plain HTTP, which leaves dynalite's own ceiling.
export async function conditionalWriteCeiling(
  emulator: CountingEmulator,
  clientKind: 'sdk' | 'raw',
  durationMs = 5000,
) {
  const { tableName } = await ensureTable(emulator.clients.dynamodb, `orders-${randomUUID()}`)
  const lines: string[] = []
  const child = startProcess(
    'ceiling',
    client,
    {
      PATH: process.env.PATH,
      ...emulator.env,
      ORDERS_TABLE_NAME: tableName,
      CLIENT: clientKind,
      CONCURRENCY: '100',
      DURATION_MS: String(durationMs),
    },
    (line) => lines.push(line),
  )
  const code = await child.exited
  await emulator.takeCounts()
  const result = lines.find((line) => line.startsWith('{"writes"'))
  if (code !== 0 || result === undefined)
    throw new Error(`ceiling client failed:\n${lines.join('\n')}`)
  const { writes, seconds } = JSON.parse(result) as { writes: number; seconds: number }
  return writes / seconds
}
