import { fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { awsClients, emulatorEnv } from '@orders/stack/aws'
import { provision } from '@orders/stack/provision'
import type { Topology } from '@orders/stack/topology'
import { buildApp } from 'fauxqs'

const dynamoProcess = fileURLToPath(new URL('./dynamo-process.ts', import.meta.url))

type Counts = Record<string, number>

// fauxqs on 127.0.0.1 in this process and dynalite in a child process of its own, each counting
// every request by action (the X-Amz-Target header of their JSON protocols), so the benchmark
// counts what the processor really sent. On two cores the table, the queue and the processor
// then each have a process, as they have machines of their own on AWS.
export async function startCountingEmulator() {
  const sqsCounts = new Map<string, number>()
  const app = buildApp({ logger: false })
  app.addHook('onRequest', async (request) => {
    const [, action = ''] = String(request.headers['x-amz-target'] ?? '').split('.')
    sqsCounts.set(action, (sqsCounts.get(action) ?? 0) + 1)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('emulator has no TCP port')

  const table = fork(dynamoProcess, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const [ready] = (await once(table, 'message')) as [{ endpoint: string; port: number }]
  const endpoint = `http://127.0.0.1:${address.port}`
  const env = {
    ...emulatorEnv(endpoint, {}),
    AWS_ENDPOINT_URL_DYNAMODB: ready.endpoint,
    AWS_REGION: 'us-east-1',
  }
  const clients = awsClients(env)
  const takeTableCounts = async () => {
    const answer = once(table, 'message') as Promise<[{ counts: Counts }]>
    table.send('take')
    return (await answer)[0].counts
  }
  return {
    port: address.port,
    dynamoPort: ready.port,
    env,
    clients,
    provision: (topology: Topology) => provision(clients, topology),
    // Requests by action since the last call, then counting starts again from zero.
    async takeCounts() {
      const sqs = Object.fromEntries(sqsCounts) as Counts
      sqsCounts.clear()
      return { sqs, dynamodb: await takeTableCounts() }
    },
    async stop() {
      clients.sns.destroy()
      clients.sqs.destroy()
      clients.dynamodb.destroy()
      const exited = once(table, 'exit')
      table.disconnect()
      await Promise.all([app.close(), exited])
    },
  }
}

export type CountingEmulator = Awaited<ReturnType<typeof startCountingEmulator>>
