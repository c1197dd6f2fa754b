import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import type { Logger } from 'pino'
import { createErrorLog } from './error-log.ts'

export type Visibility = {
  // Makes one message visible again after `seconds`: a failed order's retry delay, or 0.
  delay: (message: Message, seconds: number) => Promise<void>
  // Hands messages back untouched, visible at once (received while draining).
  release: (messages: Message[]) => Promise<void>
}

// A change that fails is only logged, and nothing retries it: the message still comes back when
// its visibility timeout runs out, later than asked but not lost.
export function createVisibility(sqs: SQSClient, queueUrl: string, logger: Logger): Visibility {
  const errors = createErrorLog(logger, 'sqs visibility', {
    next: 'the messages return when their visibility timeout ends',
  })
  return {
    async delay(message, seconds) {
      try {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: seconds,
          }),
        )
        errors.succeeded()
      } catch (err) {
        errors.failed(err)
      }
    },
    async release(messages) {
      try {
        const { Failed = [] } = await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.map((message, i) => ({
              Id: String(i),
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 0,
            })),
          }),
        )
        for (const f of Failed) errors.failed(new Error(`entry ${f.Id} failed: ${f.Code}`))
      } catch (err) {
        errors.failed(err)
      }
    },
  }
}
