import { awsClients, emulatorEnv } from '@orders/stack/aws'
import { startDynamoEmulator } from '@orders/stack/dynamo-emulator'
import { provision } from '@orders/stack/provision'
import type { Topology } from '@orders/stack/topology'
import { buildApp } from 'fauxqs'

// fauxqs and dynalite on 127.0.0.1 with hooks that count every SQS and DynamoDB request by action
// (the X-Amz-Target header of their JSON protocols), so the benchmark counts what the processor
// really sent.
export async function startCountingEmulator() {
  const counts = { sqs: new Map<string, number>(), dynamodb: new Map<string, number>() }
  const count = (target: unknown) => {
    if (typeof target !== 'string') return
    const [service, action = ''] = target.split('.')
    const into =
      service === 'AmazonSQS' ? counts.sqs : service?.startsWith('DynamoDB') && counts.dynamodb
    if (into) into.set(action, (into.get(action) ?? 0) + 1)
  }
  const app = buildApp({ logger: false })
  app.addHook('onRequest', async (request) => count(request.headers['x-amz-target']))
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('emulator has no TCP port')
  const dynamo = await startDynamoEmulator(0, '127.0.0.1', (request) =>
    count(request.headers['x-amz-target']),
  )
  const endpoint = `http://127.0.0.1:${address.port}`
  const env = {
    ...emulatorEnv(endpoint, {}),
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: 'us-east-1',
  }
  const clients = awsClients(env)
  const take = (map: Map<string, number>) => {
    const taken = Object.fromEntries(map) as Record<string, number>
    map.clear()
    return taken
  }
  return {
    port: address.port,
    dynamoPort: dynamo.port,
    env,
    clients,
    provision: (topology: Topology) => provision(clients, topology),
    // Requests by action since the last call, then counting starts again from zero.
    takeCounts: () => ({ sqs: take(counts.sqs), dynamodb: take(counts.dynamodb) }),
    async stop() {
      clients.sns.destroy()
      clients.sqs.destroy()
      clients.dynamodb.destroy()
      await Promise.all([app.close(), dynamo.stop()])
    },
  }
}

export type CountingEmulator = Awaited<ReturnType<typeof startCountingEmulator>>
