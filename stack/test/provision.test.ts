import { randomUUID } from 'node:crypto'
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { GetSubscriptionAttributesCommand } from '@aws-sdk/client-sns'
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalAws, startLocalAws } from '../src/emulator.ts'
import { namespacedTopology, topology } from '../src/topology.ts'

let aws: LocalAws
beforeAll(async () => {
  aws = await startLocalAws()
})
afterAll(() => aws.stop())

async function attributesOf(queueUrl: string) {
  const { Attributes } = await aws.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  )
  return Attributes ?? {}
}

describe('provision', () => {
  it('when run, then the queue, DLQ and subscription carry the declared attributes', async () => {
    const t = namespacedTopology(randomUUID().slice(0, 8))
    const made = await aws.provision(t)
    expect(made.topicArn).toMatch(new RegExp(`:${t.topicName}$`))
    expect(made.queueUrl).toMatch(new RegExp(`/${t.queueName}$`))

    const queue = await attributesOf(made.queueUrl)
    expect(queue).toMatchObject({
      VisibilityTimeout: String(topology.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(topology.retentionSeconds),
      ReceiveMessageWaitTimeSeconds: String(topology.receiveWaitSeconds),
    })
    expect(JSON.parse(queue.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: made.dlqArn,
      maxReceiveCount: topology.maxReceiveCount,
    })
    const policy = JSON.parse(queue.Policy ?? '{}')
    expect(policy.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: made.queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': made.topicArn } },
    })
    expect((await attributesOf(made.dlqUrl)).MessageRetentionPeriod).toBe(
      String(topology.dlqRetentionSeconds),
    )

    const { Attributes: subscription } = await aws.clients.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: made.subscriptionArn }),
    )
    expect(subscription).toMatchObject({
      Protocol: 'sqs',
      Endpoint: made.queueArn,
      RawMessageDelivery: 'false',
    })
  })

  it('when run, then the orders table exists, ACTIVE, keyed by order_id and billed on demand', async () => {
    const t = namespacedTopology(randomUUID().slice(0, 8))
    const made = await aws.provision(t)
    expect(made.tableName).toBe(t.tableName)

    const { Table } = await aws.clients.dynamodb.send(
      new DescribeTableCommand({ TableName: made.tableName }),
    )
    expect(Table).toMatchObject({
      TableArn: made.tableArn,
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'order_id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'order_id', AttributeType: 'S' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    })
  })

  it('when run again, then it converges on the same resources instead of failing', async () => {
    const t = namespacedTopology(randomUUID().slice(0, 8))
    const first = await aws.provision(t)
    const second = await aws.provision(t)
    expect(second).toEqual(first)
  })
})
