import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { expiresAt, N, S } from '@orders/store/records'
import {
  createOrderStore,
  DEFAULT_STORE_TIMEOUT_MS,
  type OrderStore,
  type StoreHooks,
  type StoreOptions,
  StoreUnavailableError,
} from '@orders/store/store'
import { KEY_ATTRIBUTE } from '@orders/store/table'
import { PUBLISH_FAILED } from './retries.ts'

type Outcome = Parameters<NonNullable<StoreHooks['request']>>[0]['outcome']

// The orders table as the receiver uses it: the store's writes, and one of its own.
export type ReceiverRecords = OrderStore & {
  // On a failed or timed-out publish: its retry publishes at once (retries.ts).
  markUnpublished: (orderId: string) => Promise<void>
}

export function createRecords(options: StoreOptions): ReceiverRecords {
  const { client, tableName, timeoutMs = DEFAULT_STORE_TIMEOUT_MS, hooks = {} } = options
  const { now = Date.now } = options
  return {
    ...createOrderStore(options),
    async markUnpublished(orderId) {
      const at = now()
      const started = performance.now()
      const abortSignal = AbortSignal.timeout(timeoutMs)
      let outcome: Outcome = 'ok'
      try {
        // Only while nothing has claimed it: a publish that timed out may have landed after all.
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { [KEY_ATTRIBUTE]: S(orderId) },
            UpdateExpression: 'SET last_error = :mark, updated_at = :now, expires_at = :expires',
            ConditionExpression: '#status = :pending AND attribute_not_exists(message_id)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':mark': S(PUBLISH_FAILED),
              ':pending': S('pending'),
              ':now': S(new Date(at).toISOString()),
              ':expires': N(expiresAt(at)),
            },
          }),
          { abortSignal },
        )
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) {
          outcome = 'condition_failed'
          return
        }
        outcome = abortSignal.aborted ? 'timeout' : 'error'
        throw new StoreUnavailableError('record', abortSignal.aborted, { cause: err })
      } finally {
        // Timed as part of recording the order, which is the write it amends.
        hooks.request?.({
          operation: 'record',
          outcome,
          seconds: (performance.now() - started) / 1000,
        })
      }
    },
  }
}
