import type { Message } from '@aws-sdk/client-sqs'
import { describe, expect, it } from 'vitest'
import type { Outcome } from '../../src/core/order-core.ts'
import { createBackoff } from '../../src/worker/backoff.ts'
import { createSettlement } from '../../src/worker/settlement.ts'
import { createStoreHealth } from '../../src/worker/store-health.ts'
import { capturingLogger } from '../log-lines.ts'

// What the settlement asked of SQS for one message, and of the pool's store health.
function settle(outcome: Outcome) {
  const asked: string[] = []
  const settlement = createSettlement({
    handleMessage: async () => outcome,
    deletes: { add: () => void asked.push('delete'), flush: async () => {} },
    visibility: {
      delay: async (_message, seconds) => void asked.push(`visible in ${seconds} s`),
      release: async () => {},
    },
    retryDelaySeconds: 5,
    store: {
      failed: () => void asked.push('store failed'),
      succeeded: () => void asked.push('store answered'),
    },
    logger: capturingLogger().logger,
  })
  return settlement({ MessageId: 'm-1' } as Message).then(() => asked)
}

describe('settlement by outcome', () => {
  it.each<[string, Outcome, string[]]>([
    ['completed', { kind: 'completed', orderId: 'o', durationMs: 1 }, ['delete']],
    ['a duplicate', { kind: 'duplicate', orderId: 'o', status: 'failed' }, ['delete']],
    ['a retry', { kind: 'retry', orderId: 'o', error: 1 }, ['visible in 5 s']],
    ['failed for good', { kind: 'failed', orderId: 'o', error: 1 }, ['visible in 0 s']],
    ['poison', { kind: 'poison', reason: 'x' }, ['visible in 0 s']],
    ['held 12.3 s more', { kind: 'held', orderId: 'o', retryAfterMs: 12_300 }, ['visible in 13 s']],
    [
      'held, the lease just over',
      { kind: 'held', orderId: 'o', retryAfterMs: 0 },
      ['visible in 1 s'],
    ],
  ])('when the order is %s, then the message is settled so', async (_case, outcome, expected) => {
    expect(await settle(outcome)).toEqual(['store answered', ...expected])
  })

  it('when the table did not answer, then the message is left alone and the pool told', async () => {
    expect(await settle({ kind: 'unavailable', orderId: 'o', error: new Error('down') })).toEqual([
      'store failed',
    ])
  })
})

describe('store health', () => {
  const pending = (wait: Promise<void>) => {
    let done = false
    void wait.then(() => {
      done = true
    })
    return async () => {
      await Promise.resolve()
      return done
    }
  }

  it('when the table fails, then each receive waits one step longer, and its first answer resets them all', async () => {
    const { logger, logs } = capturingLogger()
    const health = createStoreHealth(logger)
    const backoffs = [createBackoff(() => 0.999), createBackoff(() => 0.999)]
    // Answering: no wait at all.
    await expect(Promise.all(backoffs.map((b) => health.wait(b)))).resolves.toBeDefined()

    health.failed(new Error('ECONNREFUSED'))
    health.failed(new Error('ECONNREFUSED'))
    const waits = backoffs.map((b) => pending(health.wait(b)))
    expect(await Promise.all(waits.map((done) => done()))).toEqual([false, false])
    for (const backoff of backoffs) backoff.cancel()

    health.succeeded()
    await expect(Promise.all(backoffs.map((b) => health.wait(b)))).resolves.toBeDefined()
    expect(logs.map((l) => l.msg)).toEqual([
      'orders table failing; messages left for redelivery; receives back off',
      'orders table recovered',
    ])
  })
})
