import { DynamoDBClient } from '@aws-sdk/client-dynamodb'

// The SDK's own default.
export const DEFAULT_MAX_SOCKETS = 50

type ClientOptions = {
  region: string
  // Unset, the SDK takes the endpoint from its own variables (AWS_ENDPOINT_URL_DYNAMODB, then
  // AWS_ENDPOINT_URL) or talks to DynamoDB itself: a process needs no endpoint of its own here.
  endpoint?: string | undefined
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined
  // One socket per request in flight: each order holds one store request at a time.
  maxSockets?: number
}

export function createDynamoClient(options: ClientOptions): DynamoDBClient {
  const { region, endpoint, credentials, maxSockets = DEFAULT_MAX_SOCKETS } = options
  const sockets = { maxSockets, keepAlive: true }
  return new DynamoDBClient({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
    requestHandler: { httpAgent: sockets, httpsAgent: sockets },
  })
}
