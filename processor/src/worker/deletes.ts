import { setTimeout as sleep } from 'node:timers/promises'
import { DeleteMessageBatchCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs'
import type { Logger } from 'pino'
import { createErrorLog } from './error-log.ts'

const BATCH = 10
export const DELETE_LINGER_MS = 100
export const DELETE_ATTEMPTS = 3
const RETRY_PAUSE_MS = 200

type Entry = { message: Message; attempts: number }

type DeleteOptions = {
  sqs: SQSClient
  queueUrl: string
  // Failed calls and entries, bounded (error-log.ts); entries SQS refused as the sender's fault
  // have a log of their own, since they are not retried.
  logger: Logger
  // A message whose delete failed DELETE_ATTEMPTS times, or was refused: it stays on the queue
  // and is delivered again after its visibility timeout, where the idempotency record skips the
  // payment.
  onAbandoned: (message: Message) => void
  lingerMs?: number
}

export type DeleteBatcher = {
  add: (message: Message) => void
  // Sends everything waiting, retries included, and resolves when nothing is left.
  flush: () => Promise<void>
}

// Completed messages are deleted ten to a DeleteMessageBatch, or whatever waited DELETE_LINGER_MS.
// A batch call can succeed and still fail some entries: those (and every entry of a call that
// failed) are queued again, up to DELETE_ATTEMPTS in all. An entry SQS blames on the sender (an
// expired or malformed receipt handle) fails the same way every time, so it is given up at once.
export function createDeleteBatcher(options: DeleteOptions): DeleteBatcher {
  const { sqs, queueUrl, logger, onAbandoned, lingerMs = DELETE_LINGER_MS } = options
  const errors = createErrorLog(logger, 'sqs delete')
  const refusals = createErrorLog(logger, 'sqs delete (sender fault)', {
    next: 'given up, not retried',
  })
  const waiting: Entry[] = []
  const sending = new Set<Promise<void>>()
  let timer: NodeJS.Timeout | undefined
  let fullBatchDue = false

  // A full batch goes out once the work already queued in this turn has run. Building and signing
  // the call costs the thread about a millisecond, and when a thousand orders end together the
  // next orders would otherwise each start behind the deletes of those ended before them.
  function enqueue(entry: Entry) {
    waiting.push(entry)
    if (waiting.length < BATCH) timer ??= setTimeout(sendAll, lingerMs)
    else if (!fullBatchDue) {
      fullBatchDue = true
      setImmediate(sendFull)
    }
  }

  function sendFull() {
    fullBatchDue = false
    while (waiting.length >= BATCH) send()
  }

  function sendAll() {
    while (waiting.length > 0) send()
  }

  function send() {
    const batch = waiting.splice(0, BATCH)
    if (waiting.length === 0) {
      clearTimeout(timer)
      timer = undefined
    }
    const sent = deleteBatch(batch).finally(() => sending.delete(sent))
    sending.add(sent)
  }

  async function deleteBatch(batch: Entry[]) {
    let failed: Entry[]
    try {
      const { Failed = [] } = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((entry, i) => ({
            Id: String(i),
            ReceiptHandle: entry.message.ReceiptHandle,
          })),
        }),
      )
      errors.succeeded()
      failed = []
      for (const f of Failed) {
        const entry = batch[Number(f.Id)]
        if (entry === undefined) continue
        const error = new Error(`entry ${f.Id} failed: ${f.Code} ${f.Message}`)
        if (f.SenderFault) {
          refusals.failed(error)
          onAbandoned(entry.message)
        } else {
          errors.failed(error)
          failed.push(entry)
        }
      }
      if (!Failed.some((f) => f.SenderFault)) refusals.succeeded()
    } catch (err) {
      errors.failed(err)
      failed = batch
    }
    const retry: Entry[] = []
    for (const entry of failed) {
      entry.attempts += 1
      if (entry.attempts < DELETE_ATTEMPTS) retry.push(entry)
      else onAbandoned(entry.message)
    }
    const attempts = retry[0]?.attempts
    if (attempts === undefined) return
    await sleep(RETRY_PAUSE_MS * attempts)
    for (const entry of retry) enqueue(entry)
  }

  return {
    add(message) {
      enqueue({ message, attempts: 0 })
    },
    async flush() {
      while (waiting.length > 0 || sending.size > 0) {
        sendAll()
        await Promise.all(sending)
      }
    },
  }
}
