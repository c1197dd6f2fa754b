import { type OrderRecord, S, toRecord } from '@orders/store/records'
import { describe, expect, it } from 'vitest'
import { asyncRetry, PUBLISH_FAILED, secondsUntil } from '../src/retries.ts'

const now = Date.parse('2026-12-01T10:00:00.000Z')
const WINDOW_MS = 6000

const recorded = S(new Date(now - 1000).toISOString())

// A pending record written a second ago, with `fields` changed.
function recordOf(fields: Partial<OrderRecord>): OrderRecord {
  const item = {
    order_id: S('o-1'),
    request_hash: S('h'),
    created_at: recorded,
    updated_at: recorded,
  }
  return { ...toRecord(item), ...fields }
}

const ago = (ms: number) => new Date(now - ms).toISOString()

describe('what an async retry gets', () => {
  it.each([
    ['completed', recordOf({ status: 'completed' })],
    ['failed', recordOf({ status: 'failed', lastError: 'payment_declined' })],
    ['claimed by the processor', recordOf({ status: 'processing', messageId: 'm-1' })],
    ['released for another attempt', recordOf({ messageId: 'm-1', lastError: 'timeout' })],
    [
      'claimed after a publish that timed out',
      recordOf({ messageId: 'm-1', lastError: PUBLISH_FAILED }),
    ],
  ])('when the record is %s, then it is answered as the first was', (_name, record) => {
    expect(asyncRetry(record, now, WINDOW_MS)).toEqual({ action: 'answer' })
  })

  it('when its publish failed, then it is published at once', () => {
    const record = recordOf({ lastError: PUBLISH_FAILED, updatedAt: ago(10) })
    expect(asyncRetry(record, now, WINDOW_MS)).toEqual({ action: 'publish' })
  })

  it('when it is pending within the publish window, then it waits until the window ends', () => {
    const record = recordOf({ updatedAt: ago(1500) })
    expect(asyncRetry(record, now, WINDOW_MS)).toEqual({ action: 'wait', retryAfterSeconds: 5 })
  })

  it('when it is pending past the publish window, then it is published again', () => {
    expect(asyncRetry(recordOf({ updatedAt: ago(WINDOW_MS) }), now, WINDOW_MS)).toEqual({
      action: 'publish',
    })
  })

  it("when the receiver's sync payment holds it, then it waits for the lease", () => {
    const record = recordOf({ status: 'processing', leaseExpiresAt: now + 2500 })
    expect(asyncRetry(record, now, WINDOW_MS)).toEqual({ action: 'wait', retryAfterSeconds: 3 })
  })

  it('when a sync payer died and its lease ended, then it is published for the processor', () => {
    const record = recordOf({ status: 'processing', leaseExpiresAt: now - 1, updatedAt: ago(10) })
    expect(asyncRetry(record, now, WINDOW_MS)).toEqual({ action: 'publish' })
  })

  it('when the time left is under a second or past, then Retry-After is still 1', () => {
    expect([secondsUntil(now + 1, now), secondsUntil(now - 5000, now)]).toEqual([1, 1])
  })
})
