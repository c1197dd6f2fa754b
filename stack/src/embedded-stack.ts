import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { port as anyPort, parseEnvOrExit } from '@orders/service/config'
import { z } from 'zod'
import { type Child, startChild, stopChild } from './children.ts'
import { startLocalAws } from './emulator.ts'
import { curlExamples } from './examples.ts'
import { assertPortsFree } from './ports.ts'
import type { Provisioned } from './provision.ts'
import { claimPidFile, releasePidFile } from './stack-pid.ts'

const port = anyPort.min(1)
const schema = z.object({
  EMULATOR_PORT: port.default(4566),
  // dynalite, the orders table's emulator; 8000 is DynamoDB Local's port.
  DYNAMODB_PORT: port.default(8000),
  RECEIVER_PORT: port.default(8080),
  PROCESSOR_PORT: port.default(8081),
  // Both services run on this one host, so each needs its own metrics port.
  RECEIVER_METRICS_PORT: port.default(9080),
  PROCESSOR_METRICS_PORT: port.default(9081),
  AWS_REGION: z.string().default('us-east-1'),
  PROCESSOR: z.enum(['ecs', 'lambda']).default('ecs'),
})
type Settings = z.output<typeof schema>

// The services as their workspaces export them, so a move inside a workspace cannot break this.
const script = (specifier: string) => fileURLToPath(import.meta.resolve(specifier))

// The embedded stack: fauxqs in this process, provisioned with the one topology, and the two
// services as child processes on 127.0.0.1. It runs until SIGINT or SIGTERM (Ctrl-C, `make down`)
// and then drains both services; resolves once the stack is up and its banner printed.
export async function startEmbeddedStack(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = parseEnvOrExit(schema, env, 'make up')
  // Every *_PORT setting, so a port that is taken is named by its variable.
  const { AWS_REGION, PROCESSOR, ...ports } = settings
  try {
    await assertPortsFree(ports)
  } catch (err) {
    console.error(`make up: ${(err as Error).message}`)
    process.exit(1)
  }

  const localAws = await startLocalAws(
    settings.EMULATOR_PORT,
    AWS_REGION,
    '127.0.0.1',
    settings.DYNAMODB_PORT,
  )
  const resources = await localAws.provision()
  console.log(`emulator | fauxqs on ${localAws.emulator.endpoint}; topic ${resources.topicArn}`)
  console.log(`emulator | dynalite on ${localAws.dynamo.endpoint}; table ${resources.tableName}`)
  const children = startServices(settings, localAws.env, resources, env)

  let stopping = false
  const shutdown = async (code: number) => {
    if (stopping) return
    stopping = true
    console.log('stopping: draining receiver and processor ...')
    await Promise.all(children.map((child) => stopChild(child)))
    await localAws.stop()
    releasePidFile()
    console.log('stopped')
    process.exit(code)
  }
  for (const child of children) {
    child.exited.then((code) => {
      if (stopping) return
      console.error(`make up: ${child.name} exited with code ${code}; stopping the stack`)
      void shutdown(1)
    })
  }
  // Kept for every signal, not once: one Ctrl-C can arrive twice (from the terminal and again from
  // a wrapper such as npm or timeout), and the second must not cut the drain short.
  process.on('SIGINT', () => shutdown(0))
  process.on('SIGTERM', () => shutdown(0))
  claimPidFile()

  const receiverUrl = `http://127.0.0.1:${settings.RECEIVER_PORT}`
  const processorUrl = `http://127.0.0.1:${settings.PROCESSOR_PORT}`
  await Promise.all([waitHealthy(receiverUrl), waitHealthy(processorUrl)])
  if (stopping) return
  console.log(
    [
      '',
      `Stack is up: receiver ${receiverUrl}, processor ${processorUrl}, emulator ${localAws.emulator.endpoint}`,
      `Metrics: receiver http://127.0.0.1:${settings.RECEIVER_METRICS_PORT}/metrics, processor http://127.0.0.1:${settings.PROCESSOR_METRICS_PORT}/metrics`,
      'Try:',
      ...curlExamples(receiverUrl).map((line) => `  ${line}`),
      'Ctrl-C (or `make down` from another terminal) stops everything.',
      '',
    ].join('\n'),
  )

  async function waitHealthy(url: string) {
    const deadline = Date.now() + 20_000
    while (!stopping && Date.now() < deadline) {
      const ok = await fetch(`${url}/health`).then(
        (res) => res.ok,
        () => false,
      )
      if (ok) return
      await sleep(100)
    }
    if (!stopping) {
      console.error(`make up: ${url}/health did not answer within 20 s`)
      await shutdown(1)
    }
  }
}

// PROCESSOR=lambda: the Lambda handler behind an emulation of SNS -> Lambda async delivery, in place
// of the ECS worker. The emulation reads the same queue and sends failures to the same DLQ, so the
// queue tools and the load test watch it unchanged.
function startServices(
  settings: Settings,
  awsEnv: Record<string, string>,
  resources: Provisioned,
  env: NodeJS.ProcessEnv,
): Child[] {
  const shared = { ...env, ...awsEnv, ORDERS_TABLE_NAME: resources.tableName, HOST: '127.0.0.1' }
  const receiver = startChild('receiver', script('@orders/receiver/server'), {
    ...shared,
    PORT: String(settings.RECEIVER_PORT),
    METRICS_PORT: String(settings.RECEIVER_METRICS_PORT),
    ORDERS_TOPIC_ARN: resources.topicArn,
  })
  const processorEnv = {
    ...shared,
    PORT: String(settings.PROCESSOR_PORT),
    METRICS_PORT: String(settings.PROCESSOR_METRICS_PORT),
    ORDERS_QUEUE_URL: resources.queueUrl,
    // As `npm start -w processor` runs it: the young generation capped (docs/benchmarks.md, "Processor").
    NODE_OPTIONS: [env.NODE_OPTIONS, '--max-semi-space-size=8'].filter(Boolean).join(' '),
  }
  if (settings.PROCESSOR === 'ecs') {
    return [receiver, startChild('processor', script('@orders/processor/server'), processorEnv)]
  }
  console.log('lambda    | the Lambda handler behind an emulation of its SNS delivery (not Lambda)')
  const lambda = startChild('lambda', script('@orders/stack/lambda-emulation'), {
    ...processorEnv,
    ORDERS_DLQ_URL: resources.dlqUrl,
  })
  return [receiver, lambda]
}
