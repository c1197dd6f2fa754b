import { randomUUID } from 'node:crypto'
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs'
import { awsClients } from '@orders/stack/aws'
import { freePort } from '@orders/stack/ports'
import { topology } from '@orders/stack/topology'
import { nodeImage, ok, run } from './docker.ts'

export type Emulator = 'fauxqs' | 'localstack'

// The files a user runs, plus the tests' own override that lets builds reach the npm registry.
const files: Record<Emulator, string[]> = {
  fauxqs: [
    'docker-compose.yml',
    'docker-compose.fauxqs.yml',
    'deploy/containers/compose.host-build.yml',
    'deploy/containers/compose.host-build.fauxqs.yml',
  ],
  localstack: ['docker-compose.yml', 'deploy/containers/compose.host-build.yml'],
}

// One compose project per test run, on free host ports, so runs never meet each other or a
// developer's own `make up`.
export async function composeStack(emulator: Emulator) {
  const project = `async-orders-test-${randomUUID().slice(0, 8)}`
  // Every fixed host port the compose files publish, each moved to a free one.
  const ports = {
    EMULATOR_PORT: await freePort(),
    RECEIVER_PORT: await freePort(),
    RECEIVER_METRICS_PORT: await freePort(),
  }
  const env = {
    ...process.env,
    NODE_IMAGE: nodeImage,
    COMPOSE_PROJECT_NAME: project,
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
  }
  const args = ['compose', '-p', project, ...files[emulator].flatMap((file) => ['-f', file])]
  const compose = (more: string[], timeoutMs = 120_000) =>
    ok('docker', [...args, ...more], { env, timeoutMs })
  const endpoint = `http://127.0.0.1:${ports.EMULATOR_PORT}`
  const { sqs } = awsClients({ AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1' })

  return {
    project,
    env,
    compose,
    receiverUrl: `http://127.0.0.1:${ports.RECEIVER_PORT}`,

    async up() {
      try {
        await compose(['up', '--build', '--wait', '--wait-timeout', '300', '--detach'], 900_000)
      } catch (err) {
        const logs = await run('docker', [...args, 'logs', '--no-color', '--tail', '20'], { env })
        throw new Error(`${(err as Error).message}\n${logs.stdout}`)
      }
    },

    // Every `order completed` line the processors logged, with the container that logged it.
    async completions(): Promise<{ container: string; orderId: string }[]> {
      const ids = (await compose(['ps', '--all', '--quiet', 'processor'])).split('\n')
      const logs = await Promise.all(
        ids.filter(Boolean).map(async (container) => ({
          container,
          lines: (await ok('docker', ['logs', container])).split('\n'),
        })),
      )
      return logs.flatMap(({ container, lines }) =>
        lines.flatMap((line) => {
          if (!line.startsWith('{')) return []
          const entry = JSON.parse(line) as { msg?: string; orderId?: string }
          if (entry.msg !== 'order completed' || !entry.orderId) return []
          return [{ container: container.slice(0, 12), orderId: entry.orderId }]
        }),
      )
    },

    // Messages a processor has received and not yet deleted: orders in flight.
    async inFlight(): Promise<number> {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: topology.queueName }))
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
        }),
      )
      return Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    },

    async exitCodes(service: string): Promise<number[]> {
      const ids = (await compose(['ps', '--all', '--quiet', service])).split('\n').filter(Boolean)
      const codes = await ok('docker', ['inspect', '--format', '{{.State.ExitCode}}', ...ids])
      return codes.split('\n').filter(Boolean).map(Number)
    },

    // Containers, networks and volumes go, and the images built for this run too.
    async down() {
      sqs.destroy()
      await run('docker', [...args, 'down', '--volumes', '--remove-orphans', '--rmi', 'local'], {
        env,
        timeoutMs: 120_000,
      })
    },
  }
}

export type ComposeStack = Awaited<ReturnType<typeof composeStack>>

export function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  return counts
}
