import { SNSClient } from '@aws-sdk/client-sns'
import { SQSClient } from '@aws-sdk/client-sqs'

// AWS_ENDPOINT_URL points every client at an emulator; unset, the SDK talks to AWS itself.
export function awsClients(env: NodeJS.ProcessEnv = process.env) {
  const region = env.AWS_REGION || 'us-east-1'
  const endpoint = env.AWS_ENDPOINT_URL || undefined
  return { sns: new SNSClient({ region, endpoint }), sqs: new SQSClient({ region, endpoint }) }
}
