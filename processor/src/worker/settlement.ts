import type { Message } from '@aws-sdk/client-sqs'
import type { Logger } from 'pino'
import type { Outcome } from '../core/order-core.ts'
import type { DeleteBatcher } from './deletes.ts'
import type { Visibility } from './visibility.ts'

type SettlementDeps = {
  handleMessage: (message: Message) => Promise<Outcome>
  deletes: DeleteBatcher
  visibility: Visibility
  retryDelaySeconds: number
  logger: Logger
}

// What becomes of a received message is its outcome's: completed and duplicate messages are
// deleted (in batches); a failed order is made visible again after retryDelaySeconds, a poison
// message at once, so that the redrive policy moves it to the DLQ in seconds, not minutes.
export function createSettlement(deps: SettlementDeps): (message: Message) => Promise<void> {
  const { handleMessage, deletes, visibility, retryDelaySeconds, logger } = deps
  return async (message) => {
    let outcome: Outcome
    try {
      outcome = await handleMessage(message)
    } catch (err) {
      // The core returns failures as outcomes: a throw is a defect, and the order is retried.
      logger.error({ err, messageId: message.MessageId }, 'order handler threw; will be retried')
      return visibility.delay(message, retryDelaySeconds)
    }
    if (outcome.kind === 'completed' || outcome.kind === 'duplicate') deletes.add(message)
    else await visibility.delay(message, outcome.kind === 'poison' ? 0 : retryDelaySeconds)
  }
}
