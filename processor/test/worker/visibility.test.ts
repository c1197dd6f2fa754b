import { randomUUID } from 'node:crypto'
import { type Message, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVisibility } from '../../src/worker/visibility.ts'
import { capturingLogger } from '../log-lines.ts'

// Visibility changes on the emulator: what they do to a message, and the lines when they fail.
let aws: LocalAws
beforeAll(async () => {
  aws = await startLocalAws()
})
afterAll(() => aws.stop())

async function queueWith(count: number) {
  const { queueUrl } = await aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
  for (let i = 0; i < count; i++) {
    await aws.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `m${i}` }))
  }
  const receive = async () => {
    const { Messages = [] } = await aws.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
      }),
    )
    return Messages
  }
  const { logger, logs } = capturingLogger()
  const visibility = createVisibility(aws.clients.sqs, queueUrl, logger)
  return { receive, visibility, logs }
}

const stale: Message = { MessageId: randomUUID(), ReceiptHandle: 'no-such-handle' }

describe('visibility changes', () => {
  it('when a received message is delayed by 0, then it can be received again at once', async () => {
    const { receive, visibility, logs } = await queueWith(1)
    const [message] = await receive()
    expect(await receive()).toEqual([])
    await visibility.delay(message as Message, 0)
    expect((await receive()).map((m) => m.MessageId)).toEqual([message?.MessageId])
    expect(logs).toEqual([])
  })

  it('when a delay fails, then one line says so with the SQS error, and the next success says recovered', async () => {
    const { receive, visibility, logs } = await queueWith(1)
    await visibility.delay(stale, 0)
    const [message] = await receive()
    await visibility.delay(message as Message, 30)
    expect(await receive()).toEqual([])
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'sqs visibility failing; the messages return when their visibility timeout ends',
        error: expect.stringMatching(/^MessageNotInflight: /),
      }),
      expect.objectContaining({ msg: 'sqs visibility recovered', failures: 1 }),
    ])
  })

  it('when messages are released, then all are visible again at once', async () => {
    const { receive, visibility, logs } = await queueWith(3)
    const received = await receive()
    expect(received).toHaveLength(3)
    await visibility.release(received)
    expect((await receive()).map((m) => m.MessageId).toSorted()).toEqual(
      received.map((m) => m.MessageId).toSorted(),
    )
    expect(logs).toEqual([])
  })

  it('when SQS refuses an entry of a release, then the line names the entry and its code', async () => {
    const { visibility, logs } = await queueWith(0)
    await visibility.release([stale])
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'sqs visibility failing; the messages return when their visibility timeout ends',
        error: 'Error: entry 0 failed: ReceiptHandleIsInvalid',
      }),
    ])
  })

  it('when a release fails as a whole, then one line says so', async () => {
    const { logger, logs } = capturingLogger()
    const missing = `${aws.env.AWS_ENDPOINT_URL}/000000000000/no-such-queue-${randomUUID()}`
    const visibility = createVisibility(aws.clients.sqs, missing, logger)
    await visibility.release([stale])
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'sqs visibility failing; the messages return when their visibility timeout ends',
      }),
    ])
  })
})
