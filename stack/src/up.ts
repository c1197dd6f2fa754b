import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { port as anyPort, parseEnvOrExit } from '@orders/service/config'
import { z } from 'zod'
import { type Child, startChild, stopChild } from './children.ts'
import { loadDotenv } from './dotenv.ts'
import { startLocalAws } from './emulator.ts'
import { curlExamples } from './examples.ts'
import { assertPortsFree } from './ports.ts'
import { claimPidFile, releasePidFile } from './stack-pid.ts'

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))
loadDotenv()

const port = anyPort.min(1)
const env = parseEnvOrExit(
  z.object({
    EMULATOR_PORT: port.default(4566),
    RECEIVER_PORT: port.default(8080),
    PROCESSOR_PORT: port.default(8081),
    // Both services run on this one host, so each needs its own metrics port.
    RECEIVER_METRICS_PORT: port.default(9080),
    PROCESSOR_METRICS_PORT: port.default(9081),
    AWS_REGION: z.string().default('us-east-1'),
    PROCESSOR: z.enum(['ecs', 'lambda']).default('ecs'),
  }),
  process.env,
  'make up',
)

const children: Child[] = []
let stopping = false

try {
  await assertPortsFree({
    EMULATOR_PORT: env.EMULATOR_PORT,
    RECEIVER_PORT: env.RECEIVER_PORT,
    PROCESSOR_PORT: env.PROCESSOR_PORT,
    RECEIVER_METRICS_PORT: env.RECEIVER_METRICS_PORT,
    PROCESSOR_METRICS_PORT: env.PROCESSOR_METRICS_PORT,
  })
} catch (err) {
  console.error(`make up: ${(err as Error).message}`)
  process.exit(1)
}

const localAws = await startLocalAws(env.EMULATOR_PORT, env.AWS_REGION)
const { emulator } = localAws
const resources = await localAws.provision()
console.log(`emulator | fauxqs on ${emulator.endpoint}; topic ${resources.topicArn}`)

const receiverUrl = `http://127.0.0.1:${env.RECEIVER_PORT}`
const processorUrl = `http://127.0.0.1:${env.PROCESSOR_PORT}`
children.push(
  startChild('receiver', root('receiver/src/server.ts'), {
    ...process.env,
    ...localAws.env,
    HOST: '127.0.0.1',
    PORT: String(env.RECEIVER_PORT),
    METRICS_PORT: String(env.RECEIVER_METRICS_PORT),
    ORDERS_TOPIC_ARN: resources.topicArn,
  }),
  startProcessor(),
)
for (const child of children) {
  child.exited.then((code) => {
    if (!stopping) {
      console.error(`make up: ${child.name} exited with code ${code}; stopping the stack`)
      void shutdown(1)
    }
  })
}
process.once('SIGINT', () => shutdown(0))
process.once('SIGTERM', () => shutdown(0))
claimPidFile()

await Promise.all([waitHealthy(receiverUrl), waitHealthy(processorUrl)])
if (!stopping) {
  console.log(
    [
      '',
      `Stack is up: receiver ${receiverUrl}, processor ${processorUrl}, emulator ${emulator.endpoint}`,
      `Metrics: receiver http://127.0.0.1:${env.RECEIVER_METRICS_PORT}/metrics, processor http://127.0.0.1:${env.PROCESSOR_METRICS_PORT}/metrics`,
      'Try:',
      ...curlExamples(receiverUrl).map((line) => `  ${line}`),
      'Ctrl-C (or `make down` from another terminal) stops everything.',
      '',
    ].join('\n'),
  )
}

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

async function shutdown(code: number) {
  if (stopping) return
  stopping = true
  console.log('stopping: draining receiver and processor ...')
  await Promise.all(children.map((child) => stopChild(child)))
  await localAws.stop()
  releasePidFile()
  console.log('stopped')
  process.exit(code)
}

// PROCESSOR=lambda: the Lambda handler behind an emulation of SNS -> Lambda async delivery, in place
// of the ECS worker. The emulation reads the same queue and sends failures to the same DLQ, so the
// queue tools and the load test watch it unchanged.
function startProcessor() {
  const shared = {
    ...process.env,
    ...localAws.env,
    HOST: '127.0.0.1',
    PORT: String(env.PROCESSOR_PORT),
    METRICS_PORT: String(env.PROCESSOR_METRICS_PORT),
    ORDERS_QUEUE_URL: resources.queueUrl,
    // As `npm start -w processor` runs it: the young generation capped (README, "Benchmark").
    NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-semi-space-size=8'].filter(Boolean).join(' '),
  }
  if (env.PROCESSOR === 'ecs')
    return startChild('processor', root('processor/src/worker/server.ts'), shared)
  console.log('lambda    | the Lambda handler behind an emulation of its SNS delivery (not Lambda)')
  return startChild('lambda', root('stack/src/lambda/emulation.ts'), {
    ...shared,
    ORDERS_DLQ_URL: resources.dlqUrl,
  })
}
