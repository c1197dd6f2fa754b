import { type Message, type ReceiveMessageResult, SQSClient } from '@aws-sdk/client-sqs'
import type { LocalAws } from '@orders/stack/emulator'

type Entry = { Id?: string; ReceiptHandle?: string }
// How SQS reports a failed entry; `true` from failEntry stands for a fault of its own.
type Fault = { Code: string; Message?: string; SenderFault: boolean }
const INTERNAL: Fault = { Code: 'InternalError', SenderFault: false }
export type SentCommand = { name: string; input: Record<string, unknown> }

// A real SQS client on the emulator that records every command it sends, counts how often each
// received message's Body is read, and can fail chosen DeleteMessageBatch entries: the entry is
// taken out of the request (so the message really stays) and reported in Failed, as SQS does.
// fauxqs itself never fails an entry.
export function spyingSqs(
  aws: LocalAws,
  failEntry: (entry: Entry) => boolean | Fault = () => false,
) {
  const sent: SentCommand[] = []
  const bodyReads = new Map<string, number>()
  const sqs = new SQSClient({
    region: aws.env.AWS_REGION,
    endpoint: aws.env.AWS_ENDPOINT_URL,
    credentials: {
      accessKeyId: aws.env.AWS_ACCESS_KEY_ID ?? 'local',
      secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    },
  })
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? ''
      const input = args.input as Record<string, unknown>
      sent.push({ name, input: structuredClone(input) })
      if (name === 'ReceiveMessageCommand') {
        const result = await next(args)
        for (const message of (result.output as ReceiveMessageResult).Messages ?? []) {
          countBodyReads(message, bodyReads)
        }
        return result
      }
      if (name !== 'DeleteMessageBatchCommand') return next(args)
      const entries = (input.Entries ?? []) as Entry[]
      const faults = new Map(entries.map((entry) => [entry, failEntry(entry)]))
      const failing = entries.filter((entry) => faults.get(entry))
      const kept = entries.filter((entry) => !failing.includes(entry))
      const result =
        kept.length > 0
          ? await next({ ...args, input: { ...input, Entries: kept } as typeof args.input })
          : { response: {}, output: { $metadata: {}, Successful: [] } }
      const output = result.output as { Failed?: unknown[] }
      output.Failed = [
        ...(output.Failed ?? []),
        ...failing.map((entry) => {
          const fault = faults.get(entry)
          return { Id: entry.Id, ...(typeof fault === 'object' ? fault : INTERNAL) }
        }),
      ]
      return result
    },
    // Outside the SDK's own middleware (its logger reads every Body), so what is counted is ours.
    { step: 'initialize', name: 'spyingSqs', priority: 'high' },
  )
  const commands = (name: string) => sent.filter((command) => command.name === name)
  return { sqs, sent, commands, bodyReads }
}

function countBodyReads(message: Message, reads: Map<string, number>) {
  const body = message.Body
  const id = message.MessageId ?? ''
  reads.set(id, 0)
  Object.defineProperty(message, 'Body', {
    get: () => {
      reads.set(id, (reads.get(id) ?? 0) + 1)
      return body
    },
  })
}
