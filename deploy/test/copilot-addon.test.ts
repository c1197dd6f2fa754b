import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readYaml, repoPath } from './copilot.ts'

const statement = z.object({
  Effect: z.string(),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.object({ 'Fn::Sub': z.string() }),
})
const template = z.object({
  Parameters: z.record(z.string(), z.object({ Type: z.string() })),
  Resources: z.record(
    z.string(),
    z.object({
      Type: z.string(),
      Properties: z.object({
        PolicyDocument: z.object({ Statement: z.array(statement) }).optional(),
      }),
    }),
  ),
  Outputs: z.record(z.string(), z.object({ Value: z.unknown() })),
})

const addon = template.parse(readYaml('copilot/processor/addons/change-visibility.yml'))
const policies = Object.entries(addon.Resources).filter(
  ([, resource]) => resource.Type === 'AWS::IAM::ManagedPolicy',
)
const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument?.Statement ?? [])

// Fn::Sub as CloudFormation would expand it for the processor deployed to dev.
function expand(text: string) {
  const values: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '123456789012',
    App: 'orders',
    Env: 'dev',
    Name: 'processor',
  }
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => values[name] ?? `<${name}>`)
}

// IAM wildcards: `*` is any run of characters, `?` any one character.
function iamMatches(pattern: string, arn: string) {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^${escaped.replaceAll('*', '.*').replaceAll('?', '.')}$`).test(arn)
}

const arn = (queue: string) => `arn:aws:sqs:us-east-1:123456789012:${queue}`

describe('processor addon', () => {
  it('when Copilot deploys it, then it takes the App, Env and Name parameters Copilot passes', () => {
    expect(Object.keys(addon.Parameters).sort()).toEqual(['App', 'Env', 'Name'])
  })

  it('when it grants, then it is one managed policy allowing only sqs:ChangeMessageVisibility', () => {
    expect(policies).toHaveLength(1)
    expect(statements).toHaveLength(1)
    expect(statements[0]).toMatchObject({ Effect: 'Allow' })
    expect([statements[0]?.Action].flat()).toEqual(['sqs:ChangeMessageVisibility'])
  })

  it("when the grant is resolved, then it covers the processor's queue and nothing else", () => {
    const resource = expand(statements[0]?.Resource['Fn::Sub'] ?? '')
    expect(iamMatches(resource, arn('orders-dev-processor-EventsQueue-1AbCdEf2GhIj'))).toBe(true)
    for (const other of [
      'orders-dev-processor-DeadLetterQueue-1AbCdEf2GhIj',
      'orders-dev-receiver-EventsQueue-1AbCdEf2GhIj',
      'orders-prod-processor-EventsQueue-1AbCdEf2GhIj',
      'orders-dev-processor-receiverordersEventsQueue-1AbCdEf2GhIj',
    ]) {
      expect(iamMatches(resource, arn(other)), other).toBe(false)
    }
  })

  it('when Copilot reads the outputs, then the policy is output by Ref and so reaches the task role', () => {
    const [logicalId] = policies[0] ?? []
    expect(Object.values(addon.Outputs).map((output) => output.Value)).toContainEqual({
      Ref: logicalId,
    })
  })

  // CloudFormation names the queue <stack>-EventsQueue-<suffix of up to 13 characters> and SQS
  // allows 80; a longer name is shortened and the pattern above stops matching it.
  it('when CloudFormation names the queue in any environment, then the name fits untruncated', () => {
    const app = z.object({ application: z.string() }).parse(readYaml('copilot/.workspace'))
    const service = z.object({ name: z.string() }).parse(readYaml('copilot/processor/manifest.yml'))
    const environments = readdirSync(repoPath('copilot/environments')).filter((env) =>
      existsSync(repoPath(`copilot/environments/${env}/manifest.yml`)),
    )
    expect(environments).toContain('dev')
    for (const env of environments) {
      const queue = `${app.application}-${env}-${service.name}-EventsQueue-${'x'.repeat(13)}`
      expect(queue.length, queue).toBeLessThanOrEqual(80)
    }
  })
})
