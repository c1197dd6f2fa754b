import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb'
import { ordersTableInput, TTL_ATTRIBUTE } from '@orders/store/table'

export type ProvisionedTable = { tableName: string; tableArn: string }

// Creates the orders table unless it exists, waits until it is ACTIVE (a new table reads CREATING
// for a moment, even on an emulator) and turns its TTL on where the service implements TTL.
export async function ensureTable(
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<ProvisionedTable> {
  try {
    await dynamodb.send(new CreateTableCommand(ordersTableInput(tableName)))
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err
  }
  await waitUntilTableExists(
    { client: dynamodb, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
    { TableName: tableName },
  )
  await enableTtl(dynamodb, tableName)
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))
  if (!Table?.TableArn) throw new Error(`DescribeTable returned no TableArn for ${tableName}`)
  return { tableName, tableArn: Table.TableArn }
}

// dynalite has no UpdateTimeToLive: its items never expire, which a local stack can live with.
// DynamoDB refuses to enable TTL twice, so it is read first.
async function enableTtl(dynamodb: DynamoDBClient, tableName: string) {
  const { TimeToLiveDescription: ttl } = await dynamodb.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  )
  const status = ttl?.TimeToLiveStatus
  if ((status === 'ENABLED' || status === 'ENABLING') && ttl?.AttributeName === TTL_ATTRIBUTE) {
    return
  }
  try {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    )
  } catch (err) {
    if ((err as Error).name !== 'UnknownOperationException') throw err
  }
}
