import { parseEnv } from '@orders/service/config'
import { z } from 'zod'
import { DEFAULT_STORE_TIMEOUT_MS } from './store.ts'

// The table's variables, read alike by every service: ORDERS_TABLE_NAME, or else the name
// Copilot's generated DynamoDB access policy injects (`ORDERS_NAME_DDB_TABLE_NAME`, from its
// `ordersNameDdbTableName` output). The endpoint is the SDK's own business (client.ts).
const schema = (timeoutMs: number) =>
  z
    .object({
      ORDERS_TABLE_NAME: z.string().min(3).max(255).optional(),
      ORDERS_NAME_DDB_TABLE_NAME: z.string().min(3).max(255).optional(),
      STORE_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(timeoutMs),
    })
    .refine((env) => env.ORDERS_TABLE_NAME ?? env.ORDERS_NAME_DDB_TABLE_NAME, {
      message: 'set ORDERS_TABLE_NAME (the orders table)',
      path: ['ORDERS_TABLE_NAME'],
    })

export type StoreConfig = { tableName: string; timeoutMs: number }

// Throws a ConfigError naming the variable, as every service's configuration does. Each service
// has its own default timeout: a client waiting for its 202 wants an answer soon; a processor
// would rather wait than leave a message for its visibility timeout.
export function parseStoreConfig(
  env: NodeJS.ProcessEnv,
  who: string,
  defaultTimeoutMs = DEFAULT_STORE_TIMEOUT_MS,
): StoreConfig {
  const e = parseEnv(schema(defaultTimeoutMs), env, who)
  return {
    tableName: e.ORDERS_TABLE_NAME ?? e.ORDERS_NAME_DDB_TABLE_NAME ?? '',
    timeoutMs: e.STORE_TIMEOUT_MS,
  }
}
