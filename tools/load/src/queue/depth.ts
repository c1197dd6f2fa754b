import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { awsClients } from '@orders/stack/aws'
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

// Without an endpoint the SDK's standard credential chain applies, exactly as for the services.
export function sqsClientFor(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env) {
  // The SDK also reads AWS_ENDPOINT_URL from the environment itself: "use AWS" must remove it.
  if (!endpoint) delete env.AWS_ENDPOINT_URL
  return awsClients(endpoint ? { ...env, AWS_ENDPOINT_URL: endpoint } : env).sqs
}

export function describeTarget(endpoint: string | undefined): string {
  return endpoint ?? `AWS (${process.env.AWS_REGION || 'us-east-1'})`
}
