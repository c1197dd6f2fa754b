import {
  KEY_ATTRIBUTE,
  ORDERS_TABLE_NAME,
  ordersTableInput,
  TTL_ATTRIBUTE,
} from '@orders/store/table'

const declared = ordersTableInput()

// The orders table as the store declares it: what the embedded emulator, the LocalStack init hook
// and the Copilot environment addon must create alike, each checked against this one value.
export const ordersTable = {
  name: ORDERS_TABLE_NAME,
  partitionKey: { name: KEY_ATTRIBUTE, type: 'S' },
  // Epoch seconds; DynamoDB deletes an item some time after it passes.
  ttlAttribute: TTL_ATTRIBUTE,
  billingMode: declared.BillingMode ?? 'PAY_PER_REQUEST',
} as const

// A table as DescribeTable and DescribeTimeToLive report it, reduced to what the places that
// create it must agree on.
export type TableShape = {
  name: string | undefined
  keySchema: { name: string | undefined; keyType: string | undefined }[]
  attributes: { name: string | undefined; type: string | undefined }[]
  billingMode: string | undefined
  ttl: { attribute: string | undefined; status: string | undefined }
}

type Described = {
  Table?: {
    TableName?: string
    KeySchema?: { AttributeName?: string; KeyType?: string }[]
    AttributeDefinitions?: { AttributeName?: string; AttributeType?: string }[]
    BillingModeSummary?: { BillingMode?: string }
  }
}
type DescribedTtl = {
  TimeToLiveDescription?: { AttributeName?: string; TimeToLiveStatus?: string }
}

export function tableShape({ Table: t = {} }: Described, ttl: DescribedTtl): TableShape {
  return {
    name: t.TableName,
    keySchema: (t.KeySchema ?? []).map((k) => ({ name: k.AttributeName, keyType: k.KeyType })),
    attributes: (t.AttributeDefinitions ?? []).map((a) => ({
      name: a.AttributeName,
      type: a.AttributeType,
    })),
    billingMode: t.BillingModeSummary?.BillingMode,
    ttl: {
      attribute: ttl.TimeToLiveDescription?.AttributeName,
      status: ttl.TimeToLiveDescription?.TimeToLiveStatus,
    },
  }
}

// The shape every place must produce for the declared table.
export const declaredShape: TableShape = {
  name: ordersTable.name,
  keySchema: [{ name: ordersTable.partitionKey.name, keyType: 'HASH' }],
  attributes: [{ name: ordersTable.partitionKey.name, type: ordersTable.partitionKey.type }],
  billingMode: ordersTable.billingMode,
  ttl: { attribute: ordersTable.ttlAttribute, status: 'ENABLED' },
}
