import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DEFAULT_MAX_SOCKETS } from './client.ts'
import { createLifecycle, type Lifecycle } from './lifecycle.ts'
import { expiresAt, N, type OrderRecord, S, toRecord } from './records.ts'
import { createRequests, type StoreHooks, StoreUnavailableError } from './requests.ts'
import { KEY_ATTRIBUTE } from './table.ts'

export type {
  ClaimResult,
  CompleteResult,
  FailResult,
  ReleaseResult,
} from './lifecycle.ts'
export type { ConditionReason, StoreHooks, StoreOperation } from './requests.ts'
export { StoreUnavailableError } from './requests.ts'

export const DEFAULT_STORE_TIMEOUT_MS = 1000

export type RecordResult =
  // A new order: its record is written, pending.
  | { kind: 'created'; record: OrderRecord }
  // The same order again (a client's retry): the first record, unchanged.
  | { kind: 'retry'; record: OrderRecord }
  // Another order under an id already taken.
  | { kind: 'conflict'; record: OrderRecord }

export type OrderStore = Lifecycle & {
  record: (order: { orderId: string; requestHash: string }) => Promise<RecordResult>
  get: (orderId: string) => Promise<OrderRecord | undefined>
}

export type StoreOptions = {
  client: DynamoDBClient
  tableName: string
  // Every request, the SDK's retries included, gives up after this and throws
  // StoreUnavailableError: the caller answers 503 or leaves the message for later.
  timeoutMs?: number
  // Requests at the table at once; more wait their turn (within their timeout). As many as the
  // client has sockets: beyond them the SDK would queue requests it has already built.
  maxInFlight?: number
  hooks?: StoreHooks
  now?: () => number
}

// The orders table, one item per order_id. Conditional writes are its concurrency control; a
// condition that does not hold is an answer (a retry, a conflict, a duplicate), not an error.
export function createOrderStore(options: StoreOptions): OrderStore {
  const { client, tableName, timeoutMs = DEFAULT_STORE_TIMEOUT_MS, hooks = {} } = options
  const { maxInFlight = DEFAULT_MAX_SOCKETS, now = Date.now } = options
  const requests = createRequests(client, tableName, { timeoutMs, maxInFlight, hooks })

  return {
    ...createLifecycle({ requests, tableName, hooks, now }),

    // One PutItem for a new order; only an id already taken costs a read, to tell a retry from
    // a conflict.
    async record({ orderId, requestHash }) {
      const at = now()
      const stamp = new Date(at).toISOString()
      const item = {
        [KEY_ATTRIBUTE]: S(orderId),
        status: S('pending'),
        request_hash: S(requestHash),
        created_at: S(stamp),
        updated_at: S(stamp),
        attempts: N(0),
        expires_at: N(expiresAt(at)),
      }
      const created = await requests.put('record', {
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(order_id)',
      })
      if (created) return { kind: 'created', record: toRecord(item) }
      const existing = await requests.read('record', orderId)
      // Only an item deleted between the two requests reads so; the client's retry will tell.
      if (existing === undefined) {
        throw new StoreUnavailableError('record', false, { cause: new Error('item vanished') })
      }
      const record = toRecord(existing)
      const kind = record.requestHash === requestHash ? 'retry' : 'conflict'
      hooks.conditionFailed?.('record', kind === 'retry' ? 'already_recorded' : 'conflict')
      return { kind, record }
    },

    async get(orderId) {
      const item = await requests.read('get', orderId)
      return item === undefined ? undefined : toRecord(item)
    },
  }
}
