import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  SNSClient,
} from '@aws-sdk/client-sns'
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs'

export function clientsFor(endpoint: string) {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  }
  return { sns: new SNSClient(config), sqs: new SQSClient(config) }
}

// ARNs, URLs and subscription ids differ between emulators and runs, so each becomes the name of
// the resource it points at; what remains is what two provisioning paths must agree on.
const nameOf = (arn = '') => arn.replace(/^arn:aws:(?:sns|sqs):[^:]*:\d+:([^:]+).*$/, '$1')
const arnsToNames = (json: string) => json.replace(/arn:aws:(?:sns|sqs):[^:"]*:\d+:([^:"]+)/g, '$1')

export async function topologySnapshot(endpoint: string) {
  const { sns, sqs } = clientsFor(endpoint)
  try {
    const { Topics = [] } = await sns.send(new ListTopicsCommand({}))
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}))
    const { Subscriptions = [] } = await sns.send(new ListSubscriptionsCommand({}))

    const queues: Record<string, unknown> = {}
    for (const QueueUrl of QueueUrls) {
      const { Attributes: a = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }),
      )
      const redrive = a.RedrivePolicy ? JSON.parse(a.RedrivePolicy) : undefined
      queues[nameOf(a.QueueArn)] = {
        VisibilityTimeout: a.VisibilityTimeout,
        MessageRetentionPeriod: a.MessageRetentionPeriod,
        ReceiveMessageWaitTimeSeconds: a.ReceiveMessageWaitTimeSeconds,
        RedrivePolicy: redrive && {
          deadLetterTarget: nameOf(redrive.deadLetterTargetArn),
          maxReceiveCount: Number(redrive.maxReceiveCount),
        },
        Policy: a.Policy && JSON.parse(arnsToNames(a.Policy)),
      }
    }

    const subscriptions = []
    for (const { SubscriptionArn } of Subscriptions) {
      const { Attributes: a = {} } = await sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn }),
      )
      subscriptions.push({
        topic: nameOf(a.TopicArn),
        protocol: a.Protocol,
        endpoint: nameOf(a.Endpoint),
        RawMessageDelivery: a.RawMessageDelivery,
      })
    }

    return { topics: Topics.map((t) => nameOf(t.TopicArn)).sort(), queues, subscriptions }
  } finally {
    sns.destroy()
    sqs.destroy()
  }
}
