import { SNSClient } from '@aws-sdk/client-sns'
import { SQSClient } from '@aws-sdk/client-sqs'
import { createDynamoClient } from '@orders/store/client'

// AWS_ENDPOINT_URL points every client at an emulator, AWS_ENDPOINT_URL_DYNAMODB the DynamoDB
// client alone (the embedded stack runs it beside fauxqs, on a port of its own); unset, the SDK
// talks to AWS itself and finds credentials the standard way.
export function awsClients(env: NodeJS.ProcessEnv = process.env) {
  const region = env.AWS_REGION || 'us-east-1'
  const endpoint = env.AWS_ENDPOINT_URL || undefined
  const dynamoEndpoint = env.AWS_ENDPOINT_URL_DYNAMODB || endpoint
  const local = endpoint ?? dynamoEndpoint
  const signing = local ? emulatorEnv(local, env) : env
  const credentials =
    signing.AWS_ACCESS_KEY_ID && signing.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: signing.AWS_ACCESS_KEY_ID, secretAccessKey: signing.AWS_SECRET_ACCESS_KEY }
      : undefined
  return {
    sns: new SNSClient({ region, endpoint, credentials }),
    sqs: new SQSClient({ region, endpoint, credentials }),
    dynamodb: createDynamoClient({ region, endpoint: dynamoEndpoint, credentials }),
  }
}

// What a client or a service needs to reach an emulator. It checks no signatures, but the SDK
// refuses to send unsigned requests: credentials already set are kept, placeholders fill the rest.
export function emulatorEnv(endpoint: string, env: NodeJS.ProcessEnv = process.env) {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID || 'local',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY || 'local',
  }
}
