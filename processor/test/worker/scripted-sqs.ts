import { createHash, randomUUID } from 'node:crypto'
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'

// What one ReceiveMessage answers: a failure, nothing, these bodies, or (a promise) when the test
// says so, as a long poll that returns late.
type ReceiveAnswer = 'fail' | 'empty' | { bodies: string[] }
type Receive = ReceiveAnswer | Promise<ReceiveAnswer>
type Entry = { Id: string; ReceiptHandle: string }
// What one DeleteMessageBatch answers: a whole-call failure, or the entries it failed; now, or
// (a promise) when the test says so.
type DeleteAnswer = 'fail' | { Failed: { Id: string; Code: string; SenderFault: boolean }[] }
type Delete = DeleteAnswer | Promise<DeleteAnswer>
// What one visibility change answers, single or batch: success, failure, or success later.
type ChangeAnswer = 'ok' | 'fail' | Promise<'ok'>
export type DeleteCall = { at: number; entries: Entry[] }

type Script = {
  receives?: Receive[]
  deletes?: Delete[]
  changes?: ChangeAnswer[]
}

const json = { 'content-type': 'application/x-amz-json-1.0' }
const answer = (statusCode: number, body: unknown) => ({
  response: { statusCode, headers: json, body: Buffer.from(JSON.stringify(body)) },
})
const internalError = answer(500, {
  __type: 'com.amazonaws.sqs#InternalError',
  message: 'We encountered an internal error.',
})

function messagesOf(bodies: string[]) {
  return bodies.map((body) => ({
    MessageId: randomUUID(),
    ReceiptHandle: randomUUID(),
    Body: body,
    // The SDK checks every body against its MD5, as SQS sends it.
    MD5OfBody: createHash('md5').update(body).digest('hex'),
    Attributes: { ApproximateReceiveCount: '1' },
  }))
}

async function receiveAnswer(next: Receive | undefined): Promise<unknown> {
  const resolved = await next
  if (resolved === undefined || resolved === 'fail') return internalError
  if (resolved === 'empty') return answer(200, {})
  return answer(200, { Messages: messagesOf(resolved.bodies) })
}

// A real SQS client whose endpoint is in memory: the SDK signs, serializes and parses as usual,
// and each call is answered from the script, without a socket: ReceiveMessage (then 500
// InternalError for good), DeleteMessageBatch and visibility changes (then success). Each call
// is kept with its input and its Date.now(), so a test on fake timers sees exactly when the
// worker sent it.
export function scriptedSqs(script: Script = {}) {
  const receivedAt: number[] = []
  const receives: Record<string, unknown>[] = []
  const deletes: DeleteCall[] = []
  const changes: Record<string, unknown>[] = []
  let warming = false
  const change = async (input: Record<string, unknown>) => {
    changes.push(input)
    return (await script.changes?.shift()) === 'fail' ? internalError : answer(200, {})
  }
  const handlers: Record<string, (input: Record<string, unknown>) => unknown> = {
    'AmazonSQS.ReceiveMessage': (input) => {
      if (warming) return answer(200, {})
      receivedAt.push(Date.now())
      receives.push(input)
      return receiveAnswer(script.receives?.shift())
    },
    'AmazonSQS.DeleteMessageBatch': async (input) => {
      const entries = input.Entries as Entry[]
      deletes.push({ at: Date.now(), entries })
      const next = (await script.deletes?.shift()) ?? { Failed: [] }
      if (next === 'fail') return internalError
      const failed = new Set(next.Failed.map((f) => f.Id))
      const Successful = entries.filter((e) => !failed.has(e.Id)).map((e) => ({ Id: e.Id }))
      return answer(200, { Successful, Failed: next.Failed })
    },
    'AmazonSQS.ChangeMessageVisibility': change,
    'AmazonSQS.ChangeMessageVisibilityBatch': change,
  }
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // What the worker does about failures is under test, not the SDK's own retries.
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { headers: Record<string, string>; body?: unknown }) {
        const target = request.headers['x-amz-target'] ?? ''
        const handler = handlers[target]
        if (handler === undefined) throw new Error(`unexpected ${target}`)
        const { body = '{}' } = request
        const text = typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array)
        return handler(JSON.parse(text))
      },
    },
  })
  // The SDK reads its shared config files on a client's first call: real I/O, which fake timers
  // would not wait for. One call on real timers gets that done before the test's clock starts.
  async function warm() {
    warming = true
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: 'http://127.0.0.1:1/000000000000/warm' }))
    warming = false
  }
  return { sqs, receivedAt, receives, deletes, changes, warm }
}
