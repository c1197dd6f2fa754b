import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { topology } from '@orders/stack/topology'

export type Depth = { visible: number; inFlight: number; dlq: number }
export type ReadDepth = () => Promise<Depth>
// A queue name, looked up with GetQueueUrl, or a queue URL, used as it is. Copilot names its
// queues orders-<env>-processor-EventsQueue-<suffix>: on AWS, pass their URLs.
export type Queues = { queue: string; dlq: string }

export const localQueues: Queues = { queue: topology.queueName, dlq: topology.dlqName }

const CALL_TIMEOUT_MS = 3000

// The SDK retries a refused connection with backoff; the timeout keeps one unreachable emulator
// from stalling a once-a-second sampler.
export function createDepthReader(sqs: SQSClient, queues: Queues = localQueues): ReadDepth {
  const urls = new Map<string, string>()

  async function queueUrl(name: string): Promise<string> {
    if (/^https?:\/\//.test(name)) return name
    const known = urls.get(name)
    if (known) return known
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }), options())
    if (!QueueUrl) throw new Error(`GetQueueUrl returned no QueueUrl for ${name}`)
    urls.set(name, QueueUrl)
    return QueueUrl
  }

  async function attributes(name: string) {
    try {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: await queueUrl(name),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
        options(),
      )
      return {
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      }
    } catch (err) {
      // A re-provisioned emulator hands out new URLs; look the name up again next time.
      urls.delete(name)
      throw err
    }
  }

  return async () => {
    const [queue, dlq] = await Promise.all([attributes(queues.queue), attributes(queues.dlq)])
    return { visible: queue.visible, inFlight: queue.inFlight, dlq: dlq.visible + dlq.inFlight }
  }
}

function options() {
  return { abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) }
}
