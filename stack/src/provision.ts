import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs'
import { ensureTable, type ProvisionedTable } from './table-provision.ts'
import { topology as defaultTopology, type Topology } from './topology.ts'

export type ProvisionedMessaging = {
  topicArn: string
  queueUrl: string
  queueArn: string
  dlqUrl: string
  dlqArn: string
  subscriptionArn: string
}
export type Provisioned = ProvisionedMessaging & ProvisionedTable

type Messaging = { sns: SNSClient; sqs: SQSClient }
type Clients = Messaging & { dynamodb: DynamoDBClient }

// Safe to run any number of times: every call converges the resources to the declared topology.
// Given no DynamoDB client (an SNS/SQS emulator alone), the topic and queues without the table.
export async function provision(clients: Clients, t?: Topology): Promise<Provisioned>
export async function provision(clients: Messaging, t?: Topology): Promise<ProvisionedMessaging>
export async function provision(
  { sns, sqs, dynamodb }: Messaging & Partial<Clients>,
  t: Topology = defaultTopology,
): Promise<ProvisionedMessaging | Provisioned> {
  const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: t.topicName }))
  if (!topicArn) throw new Error('CreateTopic returned no TopicArn')

  const dlq = await ensureQueue(sqs, t.dlqName, {
    MessageRetentionPeriod: String(t.dlqRetentionSeconds),
  })
  const queue = await ensureQueue(sqs, t.queueName, {
    VisibilityTimeout: String(t.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(t.retentionSeconds),
    ReceiveMessageWaitTimeSeconds: String(t.receiveWaitSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlq.arn,
      maxReceiveCount: t.maxReceiveCount,
    }),
  })
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queue.url,
      Attributes: { Policy: JSON.stringify(topicMaySend(topicArn, queue.arn)) },
    }),
  )

  // Raw delivery stays off, as Copilot subscribes: the processor receives the SNS envelope.
  const { SubscriptionArn: subscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queue.arn,
      Attributes: { RawMessageDelivery: 'false' },
      ReturnSubscriptionArn: true,
    }),
  )
  if (!subscriptionArn) throw new Error('Subscribe returned no SubscriptionArn')
  const messaging = {
    topicArn,
    queueUrl: queue.url,
    queueArn: queue.arn,
    dlqUrl: dlq.url,
    dlqArn: dlq.arn,
    subscriptionArn,
  }
  if (dynamodb === undefined) return messaging
  return { ...messaging, ...(await ensureTable(dynamodb, t.tableName)) }
}

async function ensureQueue(sqs: SQSClient, name: string, attributes: Record<string, string>) {
  const url = await existingQueueUrl(sqs, name)
  if (url) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }))
  }
  const queueUrl =
    url ??
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl
  if (!queueUrl) throw new Error(`CreateQueue returned no QueueUrl for ${name}`)
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  )
  if (!Attributes?.QueueArn) throw new Error(`no QueueArn for ${name}`)
  return { url: queueUrl, arn: Attributes.QueueArn }
}

async function existingQueueUrl(sqs: SQSClient, name: string): Promise<string | undefined> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl
  } catch (err) {
    if (err instanceof QueueDoesNotExist) return undefined
    throw err
  }
}

function topicMaySend(topicArn: string, queueArn: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'orders-topic-sends',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  }
}
