import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

// DynamoDB's table calls (CreateTable, DescribeTable, UpdateTimeToLive, DescribeTimeToLive) over
// its own JSON protocol, for the aws CLI of the LocalStack init hook: the CLI parses the hook's
// arguments and sends real requests, and this records them. It answers as DynamoDB does where the
// hook depends on it: a second CreateTable of a name is ResourceInUseException, and enabling TTL
// where it is on already is a ValidationException. No emulator here has UpdateTimeToLive (dynalite
// answers UnknownOperationException), hence this stand-in.
export type Call = { operation: string; input: Record<string, unknown> }

type Table = {
  TableName: string
  TableArn: string
  TableStatus: 'ACTIVE'
  KeySchema: { AttributeName?: string; KeyType?: string }[]
  AttributeDefinitions: { AttributeName?: string; AttributeType?: string }[]
  BillingModeSummary?: { BillingMode: string }
  ProvisionedThroughput?: unknown
}
type Ttl = { TimeToLiveStatus: 'ENABLED' | 'DISABLED'; AttributeName?: string }

class DynamoError extends Error {
  type: string
  constructor(type: string, message: string) {
    super(message)
    this.type = type
  }
}

export async function startTableStandIn() {
  const tables = new Map<string, { table: Table; ttl: Ttl }>()
  const calls: Call[] = []

  function existing(input: Record<string, unknown>) {
    const found = tables.get(String(input.TableName))
    if (!found) throw new DynamoError('ResourceNotFoundException', 'Requested resource not found')
    return found
  }

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateTable(input) {
      const name = String(input.TableName)
      if (tables.has(name))
        throw new DynamoError('ResourceInUseException', `Table already exists: ${name}`)
      const onDemand = input.BillingMode === 'PAY_PER_REQUEST'
      if (!onDemand && input.ProvisionedThroughput === undefined) {
        throw new DynamoError('ValidationException', 'No provisioned throughput specified')
      }
      const table: Table = {
        TableName: name,
        TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
        TableStatus: 'ACTIVE',
        KeySchema: input.KeySchema as Table['KeySchema'],
        AttributeDefinitions: input.AttributeDefinitions as Table['AttributeDefinitions'],
        ...(onDemand
          ? { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } }
          : { ProvisionedThroughput: input.ProvisionedThroughput }),
      }
      tables.set(name, { table, ttl: { TimeToLiveStatus: 'DISABLED' } })
      return { TableDescription: table }
    },
    DescribeTable: (input) => ({ Table: existing(input).table }),
    UpdateTimeToLive(input) {
      const entry = existing(input)
      const spec = input.TimeToLiveSpecification as { Enabled?: boolean; AttributeName?: string }
      if (spec.Enabled && entry.ttl.TimeToLiveStatus === 'ENABLED') {
        throw new DynamoError('ValidationException', 'TimeToLive is already enabled')
      }
      entry.ttl = spec.Enabled
        ? { TimeToLiveStatus: 'ENABLED', AttributeName: spec.AttributeName }
        : { TimeToLiveStatus: 'DISABLED' }
      return { TimeToLiveSpecification: spec }
    },
    DescribeTimeToLive: (input) => ({ TimeToLiveDescription: existing(input).ttl }),
  }

  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
    const input = JSON.parse(body || '{}') as Record<string, unknown>
    calls.push({ operation, input })
    const answer = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' })
      res.end(JSON.stringify(payload))
    }
    try {
      const handle = operations[operation]
      if (!handle) throw new DynamoError('UnknownOperationException', `no ${operation} here`)
      answer(200, handle(input))
    } catch (err) {
      const { type, message } =
        err instanceof DynamoError ? err : new DynamoError('InternalFailure', String(err))
      answer(err instanceof DynamoError ? 400 : 500, {
        __type: `com.amazonaws.dynamodb.v20120810#${type}`,
        message,
      })
    }
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    // A table as DescribeTable and DescribeTimeToLive would answer for it now.
    describe(name: string) {
      const entry = tables.get(name)
      return { table: { Table: entry?.table }, ttl: { TimeToLiveDescription: entry?.ttl } }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
