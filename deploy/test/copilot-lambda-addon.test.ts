import { relative } from 'node:path'
import { LAMBDA_OUT_DIR } from '@orders/processor/lambda-build'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { renderTemplate } from './cloudformation.ts'
import { processorManifest, readYaml, receiverManifest, repoPath } from './copilot.ts'

const resource = z.object({
  Type: z.string(),
  Condition: z.string().optional(),
  DeletionPolicy: z.string().optional(),
  UpdateReplacePolicy: z.string().optional(),
  DependsOn: z.union([z.string(), z.array(z.string())]).optional(),
  Properties: z.record(z.string(), z.unknown()).optional(),
})
const template = z.object({
  Parameters: z.record(
    z.string(),
    z.object({
      Type: z.string(),
      Default: z.unknown().optional(),
      AllowedPattern: z.string().optional(),
    }),
  ),
  Conditions: z.record(z.string(), z.unknown()),
  Resources: z.record(z.string(), resource),
})
const parametersFile = z.object({ Parameters: z.record(z.string(), z.unknown()) })

const addon = template.parse(readYaml('copilot/receiver/addons/processor-lambda.yml'))
const passed = parametersFile.parse(readYaml('copilot/receiver/addons/addons.parameters.yml'))
const receiver = receiverManifest.parse(readYaml('copilot/receiver/manifest.yml'))
const processor = processorManifest.parse(readYaml('copilot/processor/manifest.yml'))

const COPILOT_PARAMETERS = ['App', 'Env', 'Name']
const [app, env, account] = ['orders', 'dev', '123456789012']

// Copilot names a Load Balanced Web Service's `publish.topics` topic `${AWS::StackName}-<topic>`,
// its stack `<app>-<env>-<service>`, and the resource `<logicalIDSafe(topic)>SNSTopic`; a
// subscriber builds the same ARN from `<app>-<env>-<service>-<topic>` (aws/copilot-cli,
// internal/pkg/template/templates/workloads/partials/cf/publish.yml and subscribe.yml).
const topicArn = (service: string, topic: string) =>
  `arn:aws:sns:us-east-1:${account}:${app}-${env}-${service}-${topic}`
const logicalIdSafe = (name: string) => name.replace(/[^A-Za-z0-9]/g, '')
const receiverStack: Record<string, string> = Object.fromEntries(
  receiver.publish.topics.map((t) => [
    `${logicalIdSafe(t.name)}SNSTopic`,
    topicArn('receiver', t.name),
  ]),
)

// A parameter's value as Copilot passes it: a literal, or a Ref into the receiver's stack.
function parameterValue(name: string): unknown {
  const value = passed.Parameters[name]
  const ref = z.object({ Ref: z.string() }).safeParse(value)
  return ref.success ? receiverStack[ref.data.Ref] : (value ?? addon.Parameters[name]?.Default)
}

// Every name a template refers to: Ref, Fn::GetAtt, ${...} in Fn::Sub, conditions.
function references(
  node: unknown,
  found = { names: new Set<string>(), conditions: new Set<string>() },
) {
  if (Array.isArray(node)) for (const item of node) references(item, found)
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Ref' && typeof value === 'string') found.names.add(value)
      else if (key === 'Fn::GetAtt' && Array.isArray(value)) found.names.add(String(value[0]))
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(value) ? String(value[0]) : String(value)
        for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g))
          found.names.add(String(name).split('.')[0] ?? '')
      } else if (key === 'Fn::If' && Array.isArray(value)) found.conditions.add(String(value[0]))
      else if (key === 'Condition' && typeof value === 'string') found.conditions.add(value)
      references(value, found)
    }
  }
  return found
}

const byType = (type: string) => Object.entries(addon.Resources).filter(([, r]) => r.Type === type)
const only = (type: string) => {
  const matches = byType(type)
  expect(matches, type).toHaveLength(1)
  const [id, r] = matches[0] ?? []
  return { id: id ?? '', props: r?.Properties ?? {} }
}

describe('receiver addon: the processor as a Lambda function', () => {
  it("when Copilot validates the parameters file, then it follows Copilot's rules", () => {
    for (const name of COPILOT_PARAMETERS) {
      expect(addon.Parameters[name], name).toMatchObject({ Type: 'String' })
      expect(passed.Parameters, name).not.toHaveProperty(name)
    }
    for (const name of Object.keys(passed.Parameters)) expect(addon.Parameters).toHaveProperty(name)
    for (const [name, p] of Object.entries(addon.Parameters)) {
      if (p.Default === undefined && !COPILOT_PARAMETERS.includes(name)) {
        expect(passed.Parameters, `${name} has no default`).toHaveProperty(name)
      }
    }
  })

  it('when the template is resolved, then it refers only to its parameters, its resources and AWS pseudo parameters', () => {
    const { names, conditions } = references(addon)
    const known = new Set([...Object.keys(addon.Parameters), ...Object.keys(addon.Resources)])
    for (const name of names) expect(known.has(name) || name.startsWith('AWS::'), name).toBe(true)
    for (const name of conditions) expect(addon.Conditions, name).toHaveProperty(name)
  })

  it('when ProcessorRuntime is ecs, then no resource of the function is created and none dangles', () => {
    expect(parameterValue('ProcessorRuntime')).toBe('ecs')
    expect(addon.Parameters.ProcessorRuntime?.Default).toBe('ecs')
    expect(addon.Conditions.UseLambda).toEqual({
      'Fn::Equals': [{ Ref: 'ProcessorRuntime' }, 'lambda'],
    })
    const unconditional = Object.entries(addon.Resources).filter(
      ([, r]) => r.Condition === undefined,
    )
    // CloudFormation refuses a stack with no resource: one free placeholder stays.
    expect(unconditional.map(([, r]) => r.Type)).toEqual([
      'AWS::CloudFormation::WaitConditionHandle',
    ])
    for (const [id, r] of Object.entries(addon.Resources)) {
      for (const name of references(r).names) {
        const target = addon.Resources[name]
        if (target) expect(target.Condition, `${id} -> ${name}`).toBe(r.Condition)
      }
    }
  })

  it("when the function subscribes, then it is to the receiver's orders topic, the one the worker subscribes to", () => {
    const subscription = only('AWS::SNS::Subscription')
    expect(subscription.props).toMatchObject({
      Protocol: 'lambda',
      TopicArn: { Ref: 'OrdersTopicArn' },
      Endpoint: { 'Fn::GetAtt': [only('AWS::Lambda::Function').id, 'Arn'] },
    })
    const [workerTopic] = processor.subscribe.topics
    expect(workerTopic).toEqual({ name: 'orders', service: 'receiver' })
    expect(parameterValue('OrdersTopicArn')).toBe(topicArn('receiver', 'orders'))
    expect(parameterValue('OrdersTopicArn')).toBe(
      topicArn(workerTopic?.service ?? '', workerTopic?.name ?? ''),
    )
  })

  it('when SNS invokes the function, then only that topic may, and only after the permission exists', () => {
    const permission = only('AWS::Lambda::Permission')
    expect(permission.props).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { Ref: only('AWS::Lambda::Function').id },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: 'OrdersTopicArn' },
    })
    expect([addon.Resources[only('AWS::SNS::Subscription').id]?.DependsOn].flat()).toContain(
      permission.id,
    )
  })

  it('when invocations fail, then Lambda retries twice and sends the record to the SQS DLQ', () => {
    const dlq = only('AWS::SQS::Queue')
    const config = only('AWS::Lambda::EventInvokeConfig')
    expect(config.props).toMatchObject({
      FunctionName: { Ref: only('AWS::Lambda::Function').id },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq.id, 'Arn'] } } },
    })
    expect(config.props.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60)
    expect(config.props.MaximumEventAgeInSeconds).toBeLessThanOrEqual(21_600)
  })

  it('when the role is read, then it allows writing its own logs, sending to its DLQ and the orders table, nothing else', () => {
    const role = only('AWS::IAM::Role')
    const logGroup = only('AWS::Logs::LogGroup')
    const statements = z
      .array(
        z.object({
          PolicyDocument: z.object({ Statement: z.array(z.record(z.string(), z.unknown())) }),
        }),
      )
      .parse(role.props.Policies)
      .flatMap((p) => p.PolicyDocument.Statement)
    expect(role.props).not.toHaveProperty('ManagedPolicyArns')
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroup.id, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [only('AWS::SQS::Queue').id, 'Arn'] },
      },
      // The actions themselves are checked with the other consumers' in copilot-orders-table.test.ts.
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
        Resource: { 'Fn::ImportValue': { 'Fn::Sub': '${App}-${Env}-ordersTableArn' } },
      },
    ])
    expect(logGroup.props.RetentionInDays).toEqual(expect.any(Number))
  })

  it('when Copilot packages the function, then Code is the folder npm run build:lambda writes', () => {
    const fn = only('AWS::Lambda::Function').props
    // Copilot uploads a local path only when Code is a plain string, relative to the repository.
    expect(fn.Code).toBe(relative(repoPath(''), LAMBDA_OUT_DIR))
    expect(fn).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      MemorySize: 128,
      Role: { 'Fn::GetAtt': [only('AWS::IAM::Role').id, 'Arn'] },
      LoggingConfig: { LogGroup: { Ref: only('AWS::Logs::LogGroup').id } },
    })
  })
})

describe('receiver addon: reserved concurrency', () => {
  // The function as CloudFormation creates it, with the function switched on.
  const deployedFunction = (values: Record<string, string> = {}) =>
    renderTemplate(addon, { ProcessorRuntime: 'lambda', ...values })[
      only('AWS::Lambda::Function').id
    ]?.Properties as Record<string, unknown>

  it('when the parameters file leaves ReservedConcurrency unset, then the function reserves none', () => {
    expect(passed.Parameters).not.toHaveProperty('ReservedConcurrency')
    expect(parameterValue('ReservedConcurrency')).toBe('')
    const fn = deployedFunction()
    expect(fn).toMatchObject({ Handler: 'index.handler' })
    expect(fn).not.toHaveProperty('ReservedConcurrentExecutions')
  })

  it('when ReservedConcurrency is set, then the function reserves that many executions', () => {
    expect(deployedFunction({ ReservedConcurrency: '50' }).ReservedConcurrentExecutions).toBe('50')
  })

  it.each([
    ['', true],
    ['1', true],
    ['50', true],
    ['0', false],
    ['-1', false],
    ['2.5', false],
    ['ten', false],
  ])('when ReservedConcurrency is "%s", then CloudFormation accepts it: %s', (value, accepted) => {
    const pattern = addon.Parameters.ReservedConcurrency?.AllowedPattern ?? ''
    expect(pattern).not.toBe('')
    expect(new RegExp(pattern).test(value)).toBe(accepted)
  })

  it('when ProcessorRuntime is ecs, then no resource but the placeholder is rendered', () => {
    expect(Object.keys(renderTemplate(addon, { ReservedConcurrency: '50' }))).toEqual([
      'ProcessorRuntimeChoice',
    ])
  })
})

describe('receiver addon: switching ProcessorRuntime back to ecs', () => {
  const kept = ['AWS::SQS::Queue', 'AWS::Logs::LogGroup']
  const resources = Object.entries(addon.Resources)

  it('when the function is removed, then its DLQ and its log group stay, with what they hold', () => {
    const retained = resources.filter(([, r]) => kept.includes(r.Type))
    expect(retained.map(([, r]) => r.Type).sort()).toEqual([...kept].sort())
    for (const [id, r] of retained) {
      expect(r, id).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })
    }
  })

  it('when the function is removed, then everything else goes, so the topic has one consumer', () => {
    for (const [id, r] of resources.filter(([, r]) => !kept.includes(r.Type))) {
      expect(r.DeletionPolicy, id).toBeUndefined()
      expect(r.UpdateReplacePolicy, id).toBeUndefined()
    }
  })

  it('when it is switched to lambda again, then new ones are created beside the retained, not refused for their name', () => {
    expect(only('AWS::SQS::Queue').props).not.toHaveProperty('QueueName')
    expect(only('AWS::Logs::LogGroup').props).not.toHaveProperty('LogGroupName')
  })
})
