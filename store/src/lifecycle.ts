import { expiresAt, N, type OrderRecord, S, toRecord } from './records.ts'
import type { Requests, StoreHooks } from './requests.ts'
import { KEY_ATTRIBUTE } from './table.ts'

export type ClaimResult =
  // This owner holds the order until the lease ends: it may pay. attempts counts this claim.
  | { kind: 'claimed'; attempts: number }
  // Already terminal: a duplicate delivery, never paid again.
  | { kind: 'completed'; record: OrderRecord }
  | { kind: 'failed'; record: OrderRecord }
  // Another owner's lease is live: no payment now; the delivery comes back later.
  | { kind: 'held'; record: OrderRecord }

export type CompleteResult = { kind: 'completed' } | { kind: 'lease_lost' }
export type ReleaseResult = { kind: 'pending' } | { kind: 'failed' } | { kind: 'lease_lost' }
export type FailResult = { kind: 'failed' } | { kind: 'unchanged'; record: OrderRecord }

export type Lifecycle = {
  claim: (claim: {
    orderId: string
    owner: string
    leaseMs: number
    messageId?: string
  }) => Promise<ClaimResult>
  complete: (held: { orderId: string; owner: string }) => Promise<CompleteResult>
  // Back to pending for another attempt, or failed when this was the last.
  release: (held: {
    orderId: string
    owner: string
    errorCode: string
    final: boolean
  }) => Promise<ReleaseResult>
  // A message that names the order but can never become one (poison).
  fail: (order: { orderId: string; errorCode: string }) => Promise<FailResult>
}

type LifecycleDeps = { requests: Requests; tableName: string; hooks: StoreHooks; now: () => number }

// Free: no record (an order published without the receiver, by a test or a tool), pending, or
// processing under a lease that has ended (its owner crashed or stalled).
const FREE =
  'attribute_not_exists(order_id) OR #status = :pending OR (#status = :processing AND lease_expires_at < :now)'
// Free, or held by the claimant itself: a claim of its own that timed out after it was written.
// The claimant runs each order once at a time (it must), so that claim paid nothing yet.
const CLAIMABLE = `${FREE} OR (#status = :processing AND lease_owner = :owner)`
const HOLDS_LEASE = '#status = :processing AND lease_owner = :owner'

// The processor's writes: claim, then complete or release, each one UpdateItem conditional on
// the state it moves the order from.
export function createLifecycle({ requests, tableName, hooks, now }: LifecycleDeps): Lifecycle {
  const key = (orderId: string) => ({ [KEY_ATTRIBUTE]: S(orderId) })
  const stamps = (at: number) => ({
    ':updated': S(new Date(at).toISOString()),
    ':expires': N(expiresAt(at)),
  })
  const names = { '#status': 'status' }

  async function claimOnce(claim: Parameters<Lifecycle['claim']>[0]) {
    const at = now()
    const messageId = claim.messageId === undefined ? '' : ', message_id = :message'
    return requests.update('claim', {
      TableName: tableName,
      Key: key(claim.orderId),
      UpdateExpression:
        'SET #status = :processing, lease_owner = :owner, lease_expires_at = :lease, ' +
        'updated_at = :updated, expires_at = :expires, created_at = if_not_exists(created_at, :updated), ' +
        `attempts = if_not_exists(attempts, :zero) + :one${messageId}`,
      ConditionExpression: CLAIMABLE,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ':pending': S('pending'),
        ':processing': S('processing'),
        ':now': N(at),
        ':owner': S(claim.owner),
        ':lease': N(at + claim.leaseMs),
        ':zero': N(0),
        ':one': N(1),
        ...stamps(at),
        ...(claim.messageId === undefined ? {} : { ':message': S(claim.messageId) }),
      },
      ReturnValues: 'UPDATED_NEW',
    })
  }

  return {
    // One UpdateItem when the order is free; a read only when it is not, to say why.
    async claim(claim) {
      for (let tries = 0; ; tries++) {
        const update = await claimOnce(claim)
        if (update.applied)
          return { kind: 'claimed', attempts: Number(update.attributes.attempts?.N ?? 1) }
        const item = await requests.read('claim', claim.orderId)
        const record = item === undefined ? undefined : toRecord(item)
        if (record?.status === 'completed' || record?.status === 'failed') {
          hooks.conditionFailed?.(
            'claim',
            record.status === 'completed' ? 'already_completed' : 'already_failed',
          )
          return { kind: record.status, record }
        }
        const free =
          record === undefined ||
          record.status === 'pending' ||
          (record.leaseExpiresAt ?? 0) < now() ||
          record.leaseOwner === claim.owner
        // Freed between the write and the read (a release, a lease ending): claim it again, once.
        if (!free || tries > 0) {
          hooks.conditionFailed?.('claim', 'held')
          return { kind: 'held', record: record ?? toRecord(key(claim.orderId)) }
        }
      }
    },

    async complete({ orderId, owner }) {
      const update = await requests.update('complete', {
        TableName: tableName,
        Key: key(orderId),
        UpdateExpression:
          'SET #status = :completed, updated_at = :updated, expires_at = :expires REMOVE lease_owner, lease_expires_at',
        ConditionExpression: HOLDS_LEASE,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':completed': S('completed'),
          ':processing': S('processing'),
          ':owner': S(owner),
          ...stamps(now()),
        },
      })
      if (update.applied) return { kind: 'completed' }
      hooks.conditionFailed?.('complete', 'lease_lost')
      return { kind: 'lease_lost' }
    },

    async release({ orderId, owner, errorCode, final }) {
      const status = final ? 'failed' : 'pending'
      const update = await requests.update('release', {
        TableName: tableName,
        Key: key(orderId),
        UpdateExpression:
          'SET #status = :status, last_error = :error, updated_at = :updated, expires_at = :expires REMOVE lease_owner, lease_expires_at',
        ConditionExpression: HOLDS_LEASE,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':status': S(status),
          ':error': S(errorCode),
          ':processing': S('processing'),
          ':owner': S(owner),
          ...stamps(now()),
        },
      })
      if (update.applied) return { kind: status }
      hooks.conditionFailed?.('release', 'lease_lost')
      return { kind: 'lease_lost' }
    },

    // Failed unless it is terminal already or another owner holds it right now.
    async fail({ orderId, errorCode }) {
      const at = now()
      const update = await requests.update('fail', {
        TableName: tableName,
        Key: key(orderId),
        UpdateExpression:
          'SET #status = :failed, last_error = :error, updated_at = :updated, expires_at = :expires, ' +
          'created_at = if_not_exists(created_at, :updated), attempts = if_not_exists(attempts, :zero) ' +
          'REMOVE lease_owner, lease_expires_at',
        ConditionExpression: FREE,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':failed': S('failed'),
          ':error': S(errorCode),
          ':pending': S('pending'),
          ':processing': S('processing'),
          ':now': N(at),
          ':zero': N(0),
          ...stamps(at),
        },
      })
      if (update.applied) return { kind: 'failed' }
      const item = await requests.read('fail', orderId)
      const record = toRecord(item ?? key(orderId))
      hooks.conditionFailed?.('fail', reasonFor(record))
      return { kind: 'unchanged', record }
    },
  }
}

function reasonFor(record: OrderRecord) {
  if (record.status === 'completed') return 'already_completed'
  if (record.status === 'failed') return 'already_failed'
  return 'held'
}
