import type { OrderRecord } from '@orders/store/records'
import type { OrderStore } from '@orders/store/store'

type Lifecycle = Pick<OrderStore, 'claim' | 'complete' | 'release' | 'fail'>

// The orders table's conditions on a Map in the processor's own memory, for the benchmark row
// that measures the pool without a table in the way. Answers on the next tick, as a fast
// table would. Never for a real processor: replicas would not share it.
export function createMemoryStore(now: () => number = Date.now): Lifecycle {
  const records = new Map<string, OrderRecord>()
  const answer = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)))
  const record = (orderId: string): OrderRecord => {
    const at = new Date(now()).toISOString()
    const found = records.get(orderId) ?? {
      orderId,
      status: 'pending',
      requestHash: undefined,
      createdAt: at,
      updatedAt: at,
      attempts: 0,
      lastError: undefined,
      messageId: undefined,
      leaseOwner: undefined,
      leaseExpiresAt: undefined,
      expiresAt: 0,
    }
    records.set(orderId, found)
    return found
  }
  const holds = (r: OrderRecord, owner: string) =>
    r.status === 'processing' && r.leaseOwner === owner
  return {
    claim({ orderId, owner, leaseMs }) {
      const r = record(orderId)
      if (r.status === 'completed' || r.status === 'failed')
        return answer({ kind: r.status, record: r })
      const free =
        r.status === 'pending' || (r.leaseExpiresAt ?? 0) < now() || r.leaseOwner === owner
      if (!free) return answer({ kind: 'held', record: r })
      Object.assign(r, { status: 'processing', leaseOwner: owner, leaseExpiresAt: now() + leaseMs })
      r.attempts += 1
      return answer({ kind: 'claimed', attempts: r.attempts })
    },
    complete({ orderId, owner }) {
      const r = record(orderId)
      if (!holds(r, owner)) return answer({ kind: 'lease_lost' })
      Object.assign(r, { status: 'completed', leaseOwner: undefined, leaseExpiresAt: undefined })
      return answer({ kind: 'completed' })
    },
    release({ orderId, owner, errorCode, final }) {
      const r = record(orderId)
      if (!holds(r, owner)) return answer({ kind: 'lease_lost' })
      const status = final ? 'failed' : 'pending'
      Object.assign(r, { status, lastError: errorCode, leaseOwner: undefined })
      return answer({ kind: status })
    },
    fail({ orderId, errorCode }) {
      const r = record(orderId)
      if (r.status === 'completed' || r.status === 'failed')
        return answer({ kind: 'unchanged', record: r })
      Object.assign(r, { status: 'failed', lastError: errorCode })
      return answer({ kind: 'failed' })
    },
  }
}
