import { readdirSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { renderTemplate } from './cloudformation.ts'
import { readYaml, repoPath } from './copilot.ts'
import {
  expandSub,
  importedExport,
  mergeConflicts,
  outputKinds,
  toSnakeCase,
} from './copilot-addons.ts'
import { ordersTable } from './orders-table.ts'

const statement = z.object({
  Sid: z.string().optional(),
  Effect: z.string(),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown(),
})
const template = z.object({
  Metadata: z.record(z.string(), z.unknown()).optional(),
  Parameters: z.record(z.string(), z.object({ Type: z.string(), Default: z.unknown().optional() })),
  Conditions: z.record(z.string(), z.unknown()).optional(),
  Resources: z.record(
    z.string(),
    z
      .object({
        Type: z.string(),
        DeletionPolicy: z.string().optional(),
        UpdateReplacePolicy: z.string().optional(),
        Properties: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
  ),
  Outputs: z
    .record(
      z.string(),
      z.object({
        Value: z.unknown(),
        Export: z.object({ Name: z.object({ 'Fn::Sub': z.string() }) }).optional(),
      }),
    )
    .optional(),
})
type Template = z.infer<typeof template>
const read = (path: string) => template.parse(readYaml(path))

const envAddon = read('copilot/environments/addons/orders-table.yml')
const deployed = { App: 'orders', Env: 'dev' }
const exportNames = Object.fromEntries(
  Object.entries(envAddon.Outputs ?? {}).map(([id, o]) => [id, o.Export?.Name['Fn::Sub']]),
)
const tables = Object.entries(envAddon.Resources).filter(
  ([, r]) => r.Type === 'AWS::DynamoDB::Table',
)
const [tableId = '', table] = tables[0] ?? []
// The export holding a Value that Refs the table (its name), and the one holding its Arn.
const exportOf = (value: unknown) =>
  Object.values(envAddon.Outputs ?? {}).find((o) => isDeepStrictEqual(o.Value, value))?.Export
    ?.Name['Fn::Sub']
const nameExport = exportOf({ Ref: tableId })
const arnExport = exportOf({ 'Fn::GetAtt': [tableId, 'Arn'] })

// The actions each consumer really calls on the table, from the store's contract: the receiver
// records a new order (PutItem), answers GET and explains a failed condition (GetItem), and
// updates an order it publishes or pays in sync (UpdateItem); the worker and the Lambda function
// claim, complete, release and fail orders (UpdateItem) and explain a failed claim (GetItem).
const consumers = [
  {
    service: 'receiver',
    addon: 'copilot/receiver/addons/orders-table-access.yml',
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  {
    service: 'processor',
    addon: 'copilot/processor/addons/orders-table-access.yml',
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  },
]
const processorActions = ['dynamodb:GetItem', 'dynamodb:UpdateItem']

// Every statement of a template, from its managed policies and its roles' inline policies alike.
function statements(t: Template) {
  return Object.values(t.Resources).flatMap((r) => {
    const props = r.Properties ?? {}
    const documents =
      r.Type === 'AWS::IAM::ManagedPolicy'
        ? [props.PolicyDocument]
        : r.Type === 'AWS::IAM::Role'
          ? z
              .array(z.object({ PolicyDocument: z.unknown() }))
              .parse(props.Policies ?? [])
              .map((p) => p.PolicyDocument)
          : []
    return documents.flatMap((d) => z.object({ Statement: z.array(statement) }).parse(d).Statement)
  })
}
const onTable = (t: Template) =>
  statements(t).filter((s) => importedExport(s.Resource) === arnExport)
const actionsOf = (s: z.infer<typeof statement> | undefined) =>
  s === undefined ? [] : [s.Action].flat().sort()

describe('the orders table (copilot/environments/addons/orders-table.yml)', () => {
  it('when copilot env deploy creates it, then the addon takes only the App and Env Copilot passes', () => {
    expect(Object.keys(envAddon.Parameters).sort()).toEqual(['App', 'Env'])
    expect(tables).toHaveLength(1)
  })

  it('when it is created, then it is on-demand, keyed by order_id (S) alone, with TTL on expires_at', () => {
    expect(table?.Properties).toMatchObject({
      BillingMode: ordersTable.billingMode,
      KeySchema: [{ AttributeName: ordersTable.partitionKey.name, KeyType: 'HASH' }],
      AttributeDefinitions: [
        {
          AttributeName: ordersTable.partitionKey.name,
          AttributeType: ordersTable.partitionKey.type,
        },
      ],
      TimeToLiveSpecification: { AttributeName: ordersTable.ttlAttribute, Enabled: true },
    })
  })

  it('when data is lost or overwritten, then point-in-time recovery restores it', () => {
    expect(table?.Properties?.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    })
  })

  it('when the environment is deleted or the table replaced, then the table and its orders stay', () => {
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })
  })

  it('when rendered for orders/dev, then it is orders-dev-orders, exported by name and ARN as Copilot exports storage', () => {
    const rendered = z
      .object({ Properties: z.object({ TableName: z.object({ 'Fn::Sub': z.string() }) }) })
      .parse(renderTemplate(envAddon, deployed)[tableId])
    const name = rendered.Properties.TableName
    expect(expandSub(name['Fn::Sub'], deployed)).toBe(`orders-dev-${ordersTable.name}`)
    // `copilot storage init -t DynamoDB -l environment` names the outputs <name>Name and
    // <name>DynamoDBTableARN, exported as ${App}-${Env}-<name>TableName and ...TableArn.
    expect(tableId).toBe(ordersTable.name)
    expect(exportNames).toEqual({
      [`${tableId}Name`]: `\${App}-\${Env}-${tableId}TableName`,
      [`${tableId}DynamoDBTableARN`]: `\${App}-\${Env}-${tableId}TableArn`,
    })
    expect(nameExport).toBe(`\${App}-\${Env}-${tableId}TableName`)
    expect(arnExport).toBe(`\${App}-\${Env}-${tableId}TableArn`)
  })
})

describe.each(consumers)('$addon', ({ service, addon: path, actions }) => {
  const addon = read(path)
  const kinds = outputKinds(addon)

  it(`when it grants, then exactly ${actions.join(', ')} on the table's ARN and nothing else`, () => {
    const all = statements(addon)
    expect(all).toHaveLength(1)
    expect(all[0]?.Effect).toBe('Allow')
    expect(actionsOf(all[0])).toEqual(actions)
    expect(importedExport(all[0]?.Resource)).toBe(arnExport)
  })

  it('when Copilot reads the outputs, then the policy reaches the task role and the table name becomes ORDERS_TABLE_NAME', () => {
    const variables = Object.entries(kinds).filter(([, kind]) => kind === 'variable')
    expect(variables.map(([name]) => toSnakeCase(name))).toEqual(['ORDERS_TABLE_NAME'])
    const [variable = ''] = variables[0] ?? []
    expect(importedExport(addon.Outputs?.[variable]?.Value)).toBe(nameExport)
    expect(Object.values(kinds).filter((kind) => kind === 'policy')).toHaveLength(1)
  })

  it(`when Copilot merges copilot/${service}/addons into one stack, then no two templates clash`, () => {
    const dir = `copilot/${service}/addons`
    const files = readdirSync(repoPath(dir)).filter(
      (f) => f.endsWith('.yml') && f !== 'addons.parameters.yml',
    )
    expect(files.length).toBeGreaterThan(1)
    // The templates as written: a schema would drop the keys it does not name.
    const raw = files.map((f) => z.record(z.string(), z.unknown()).parse(readYaml(`${dir}/${f}`)))
    expect(mergeConflicts(raw)).toEqual([])
  })
})

describe('the Lambda function (copilot/receiver/addons/processor-lambda.yml)', () => {
  const addon = read('copilot/receiver/addons/processor-lambda.yml')
  const fn = renderTemplate(addon, { ...deployed, ProcessorRuntime: 'lambda' }).ProcessorFunction
  const environment = z
    .object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) })
    .parse(fn?.Properties)

  it('when the function processes orders, then its role may call on the table what the worker may, nothing more', () => {
    const grants = onTable(addon)
    expect(grants).toHaveLength(1)
    expect(grants[0]?.Effect).toBe('Allow')
    expect(actionsOf(grants[0])).toEqual(processorActions)
    const anyDynamo = statements(addon).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    )
    expect(anyDynamo).toEqual(grants)
  })

  it('when the function starts, then it is given the table the environment exports as ORDERS_TABLE_NAME', () => {
    expect(importedExport(environment.Environment.Variables.ORDERS_TABLE_NAME)).toBe(nameExport)
  })
})

describe("Copilot's rules, as ported", () => {
  // The cases of Copilot's own TestToSnakeCaseFunc (internal/pkg/template/template_functions_test.go).
  it.each([
    ['AdditionalResourcesPolicyArn', 'ADDITIONAL_RESOURCES_POLICY_ARN'],
    ['additionalResourcesPolicyArn', 'ADDITIONAL_RESOURCES_POLICY_ARN'],
    ['myddbtable', 'MYDDBTABLE'],
    ['myDDBTable', 'MY_DDB_TABLE'],
    ['my2ndDDBTable', 'MY2ND_DDB_TABLE'],
    ['myTableWithLSI', 'MY_TABLE_WITH_LSI'],
    ['OrdersTableName', 'ORDERS_TABLE_NAME'],
  ])('when an output is named %s, then the variable is %s', (name, variable) => {
    expect(toSnakeCase(name)).toBe(variable)
  })

  it('when two templates declare one parameter differently, then the merge clashes on it', () => {
    const a = { Parameters: { Name: { Type: 'String', Description: 'a' } }, Resources: {} }
    const b = { Parameters: { Name: { Type: 'String', Description: 'b' } }, Resources: {} }
    expect(mergeConflicts([a, structuredClone(a)])).toEqual([])
    expect(mergeConflicts([a, b])).toEqual(['Parameters.Name'])
  })

  it('when an output Refs a managed policy, then it is a policy; a secret, a secret; else a variable', () => {
    const t = {
      Resources: {
        P: { Type: 'AWS::IAM::ManagedPolicy' },
        S: { Type: 'AWS::SecretsManager::Secret' },
      },
      Outputs: { A: { Value: { Ref: 'P' } }, B: { Value: { Ref: 'S' } }, C: { Value: 'x' } },
    }
    expect(outputKinds(t)).toEqual({ A: 'policy', B: 'secret', C: 'variable' })
  })
})
