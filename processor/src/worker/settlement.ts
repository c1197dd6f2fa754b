import type { Message } from '@aws-sdk/client-sqs'
import type { Logger } from 'pino'
import type { Outcome } from '../core/order-core.ts'
import type { DeleteBatcher } from './deletes.ts'
import type { StoreHealth } from './store-health.ts'
import type { Visibility } from './visibility.ts'

// SQS allows at most 12 hours.
const MAX_VISIBILITY_SECONDS = 43_200

type SettlementDeps = {
  handleMessage: (message: Message) => Promise<Outcome>
  deletes: DeleteBatcher
  visibility: Visibility
  retryDelaySeconds: number
  store: Pick<StoreHealth, 'failed' | 'succeeded'>
  logger: Logger
}

// What becomes of a received message is its outcome's: completed and duplicate messages are
// deleted (in batches); a failed attempt is made visible again after retryDelaySeconds; poison
// and an order failed for good at once, so that the redrive policy moves them to the DLQ in
// seconds, not minutes. A message whose order another processor holds comes back when that
// lease could have ended. One the table could not answer for is left alone: it comes back after
// its visibility timeout, which spares SQS calls and receives while the table is down, and the
// receives back off meanwhile.
export function createSettlement(deps: SettlementDeps): (message: Message) => Promise<void> {
  const { handleMessage, deletes, visibility, retryDelaySeconds, store, logger } = deps
  return async (message) => {
    let outcome: Outcome
    try {
      outcome = await handleMessage(message)
    } catch (err) {
      // The core returns failures as outcomes: a throw is a defect, and the order is retried.
      logger.error({ err, messageId: message.MessageId }, 'order handler threw; will be retried')
      return visibility.delay(message, retryDelaySeconds)
    }
    if (outcome.kind === 'unavailable') return store.failed(outcome.error)
    store.succeeded()
    switch (outcome.kind) {
      case 'completed':
      case 'duplicate':
        return deletes.add(message)
      case 'retry':
        return visibility.delay(message, retryDelaySeconds)
      case 'held':
        return visibility.delay(message, heldSeconds(outcome.retryAfterMs))
      case 'failed':
      case 'poison':
        return visibility.delay(message, 0)
    }
  }
}

function heldSeconds(retryAfterMs: number) {
  return Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(retryAfterMs / 1000)))
}
