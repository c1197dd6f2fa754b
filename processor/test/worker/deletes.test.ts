import { randomUUID } from 'node:crypto'
import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDeleteBatcher, DELETE_ATTEMPTS } from '../../src/worker/deletes.ts'
import { capturingLogger } from '../log-lines.ts'
import { spyingSqs } from './sqs-spy.ts'

let aws: LocalAws
beforeAll(async () => {
  aws = await startLocalAws()
})
afterAll(() => aws.stop())

// A queue of its own holding `count` messages, all received (in flight) by the test.
async function receivedMessages(count: number, visibilityTimeoutSeconds = 30) {
  const topology = { ...namespacedTopology(randomUUID().slice(0, 8)), visibilityTimeoutSeconds }
  const { queueUrl } = await aws.provision(topology)
  const Entries = Array.from({ length: count }, (_, i) => ({ Id: String(i), MessageBody: `m${i}` }))
  await aws.clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries }))
  const messages: Message[] = []
  const receive = async () => {
    const { Messages = [] } = await aws.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    )
    messages.push(...Messages)
    return messages.length
  }
  await expect.poll(receive, { timeout: 5000, interval: 0 }).toBe(count)
  return { queueUrl, messages }
}

// ReceiveMessage refreshes fauxqs's counters; then nothing may be left, visible or in flight.
async function remaining(queueUrl: string) {
  await aws.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }))
  const { Attributes = {} } = await aws.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  )
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  )
}

function batcher(sqs: ReturnType<typeof spyingSqs>['sqs'], queueUrl: string) {
  const abandoned: Message[] = []
  const { logger, logs } = capturingLogger()
  const deletes = createDeleteBatcher({
    sqs,
    queueUrl,
    logger,
    onAbandoned: (message) => abandoned.push(message),
  })
  return { deletes, abandoned, logs }
}

describe('delete batcher', () => {
  it('when ten completed messages wait, then one DeleteMessageBatch deletes all ten', async () => {
    const { queueUrl, messages } = await receivedMessages(10)
    const spy = spyingSqs(aws)
    const { deletes } = batcher(spy.sqs, queueUrl)
    for (const message of messages) deletes.add(message)
    await deletes.flush()
    expect(spy.sent.map((c) => c.name)).toEqual(['DeleteMessageBatchCommand'])
    expect(spy.sent[0]?.input.Entries).toHaveLength(10)
    expect(await remaining(queueUrl)).toBe(0)
  })

  it('when fewer than ten wait, then they are sent together after the linger', async () => {
    const { queueUrl, messages } = await receivedMessages(3)
    const spy = spyingSqs(aws)
    const { deletes } = batcher(spy.sqs, queueUrl)
    for (const message of messages) deletes.add(message)
    await expect.poll(() => spy.sent.length, { timeout: 2000 }).toBe(1)
    expect(spy.sent[0]?.input.Entries).toHaveLength(3)
    await deletes.flush()
    expect(await remaining(queueUrl)).toBe(0)
  })

  it('when one entry of a batch fails, then only that entry is sent again and all are deleted', async () => {
    const { queueUrl, messages } = await receivedMessages(10)
    const unlucky = messages[4]?.ReceiptHandle
    let failures = 0
    const spy = spyingSqs(aws, (entry) => entry.ReceiptHandle === unlucky && failures++ === 0)
    const { deletes, abandoned } = batcher(spy.sqs, queueUrl)
    for (const message of messages) deletes.add(message)
    await deletes.flush()
    const batches = spy.commands('DeleteMessageBatchCommand')
    expect(batches.map((c) => (c.input.Entries as unknown[]).length)).toEqual([10, 1])
    expect(batches[1]?.input.Entries).toEqual([{ Id: '0', ReceiptHandle: unlucky }])
    expect(abandoned).toEqual([])
    expect(await remaining(queueUrl)).toBe(0)
  })

  it('when an entry keeps failing, then it is given up and the message is delivered again', async () => {
    const { queueUrl, messages } = await receivedMessages(2, 1)
    const [stuck, fine] = messages
    const spy = spyingSqs(aws, (entry) => entry.ReceiptHandle === stuck?.ReceiptHandle)
    const { deletes, abandoned } = batcher(spy.sqs, queueUrl)
    deletes.add(stuck as Message)
    deletes.add(fine as Message)
    await deletes.flush()
    expect(abandoned.map((m) => m.MessageId)).toEqual([stuck?.MessageId])
    expect(spy.commands('DeleteMessageBatchCommand')).toHaveLength(DELETE_ATTEMPTS)
    await expect
      .poll(
        async () => {
          const { Messages = [] } = await aws.clients.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }),
          )
          return Messages.map((m) => m.MessageId)
        },
        { timeout: 5000 },
      )
      .toEqual([stuck?.MessageId])
  })

  it('when SQS blames an entry on the sender, then it is given up at once, logged with its code', async () => {
    const { queueUrl, messages } = await receivedMessages(3)
    const refused = messages[1]?.ReceiptHandle
    const spy = spyingSqs(aws, (entry) =>
      entry.ReceiptHandle === refused
        ? { Code: 'ReceiptHandleIsInvalid', Message: 'handle expired', SenderFault: true }
        : false,
    )
    const { deletes, abandoned, logs } = batcher(spy.sqs, queueUrl)
    for (const message of messages) deletes.add(message)
    await deletes.flush()
    expect(spy.commands('DeleteMessageBatchCommand')).toHaveLength(1)
    expect(abandoned.map((m) => m.ReceiptHandle)).toEqual([refused])
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'sqs delete (sender fault) failing; given up, not retried',
        error: 'Error: entry 1 failed: ReceiptHandleIsInvalid handle expired',
      }),
    ])
  })
})
