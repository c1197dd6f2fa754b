import { awsClients } from './aws.ts'
import { loadDotenv } from './dotenv.ts'
import { provision } from './provision.ts'

loadDotenv()

const target = process.env.AWS_ENDPOINT_URL ?? 'AWS (no AWS_ENDPOINT_URL set)'
try {
  const result = await provision(awsClients())
  console.log(`Provisioned on ${target}`)
  console.log(`ORDERS_TOPIC_ARN=${result.topicArn}`)
  console.log(`ORDERS_QUEUE_URL=${result.queueUrl}`)
  console.log(`ORDERS_DLQ_URL=${result.dlqUrl}`)
  console.log(`ORDERS_TABLE_NAME=${result.tableName}`)
} catch (err) {
  console.error(`provision failed against ${target}: ${(err as Error).message}`)
  process.exit(1)
}
