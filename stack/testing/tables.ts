import { randomUUID } from 'node:crypto'
import { createDynamoClient } from '@orders/store/client'
import { createOrderStore, type StoreOptions } from '@orders/store/store'
import { afterAll, beforeAll } from 'vitest'
import { startDynamoEmulator } from '../src/dynamo-emulator.ts'
import { ensureTable } from '../src/table-provision.ts'

type Emulator = Awaited<ReturnType<typeof startDynamoEmulator>>

// dynalite in this process for the test file that calls it (started before its tests, stopped
// after them); each test makes a table of its own, so no test sees another's orders.
export function useTables() {
  let emulator: Emulator
  let client: ReturnType<typeof createDynamoClient>
  beforeAll(async () => {
    emulator = await startDynamoEmulator()
    client = createDynamoClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
  })
  afterAll(async () => {
    client.destroy()
    await emulator.stop()
  })
  return {
    get endpoint() {
      return emulator.endpoint
    },
    get client() {
      return client
    },
    async newStore(options: Partial<StoreOptions> = {}) {
      const { tableName } = await ensureTable(client, `orders-${randomUUID().slice(0, 8)}`)
      return { tableName, store: createOrderStore({ client, tableName, ...options }) }
    },
  }
}
