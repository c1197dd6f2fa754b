import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'

// The orders table as every place that creates it must agree: the embedded emulator (provisioned
// by @orders/stack), the LocalStack init hook and the Copilot environment addon.
export const ORDERS_TABLE_NAME = 'orders'
export const KEY_ATTRIBUTE = 'order_id'
// Epoch seconds, as DynamoDB's TTL reads it.
export const TTL_ATTRIBUTE = 'expires_at'
// Counted from the last update: longer than the queue's 4 days and the DLQ's 14, so a message
// still on either (a DLQ redrive included) finds its record and is deduplicated against it.
export const RETENTION_SECONDS = 30 * 24 * 60 * 60

export function ordersTableInput(tableName: string = ORDERS_TABLE_NAME): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: KEY_ATTRIBUTE, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: KEY_ATTRIBUTE, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }
}
