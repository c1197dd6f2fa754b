import { buildApp } from 'fauxqs'
import { awsClients, emulatorEnv } from './aws.ts'
import { startDynamoEmulator } from './dynamo-emulator.ts'
import type { Emulator } from './emulator-handle.ts'
import { type Provisioned, provision } from './provision.ts'
import { topology as defaultTopology, type Topology } from './topology.ts'

// fauxqs's own startFauxqs() listens on 0.0.0.0; an emulator without auth must stay on loopback,
// so its app is built here and listened on 127.0.0.1. Only inside a container, whose port is
// published on the host's loopback alone, does it listen on every interface.
export async function startEmulator(port = 0, host = '127.0.0.1'): Promise<Emulator> {
  const app = buildApp({ logger: false })
  await app.listen({ port, host })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('emulator has no TCP port')
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host
  return {
    endpoint: `http://${reachable}:${address.port}`,
    port: address.port,
    stop: async () => {
      await app.close()
    },
  }
}

export type LocalAws = {
  emulator: Emulator
  // DynamoDB (dynalite), on a port of its own.
  dynamo: Emulator
  // What a service process needs to reach the emulators: the same variables it reads on AWS.
  // ORDERS_TABLE_NAME names the default topology's table; a test that provisions a namespaced
  // topology passes its own (Provisioned.tableName).
  env: Record<string, string>
  clients: ReturnType<typeof awsClients>
  provision: (topology?: Topology) => Promise<Provisioned>
  stop: () => Promise<void>
}

export async function startLocalAws(
  port = 0,
  region = 'us-east-1',
  host = '127.0.0.1',
  dynamoPort = 0,
): Promise<LocalAws> {
  const [emulator, dynamo] = await Promise.all([
    startEmulator(port, host),
    startDynamoEmulator(dynamoPort, host),
  ])
  // Placeholders only, never a developer's real credentials, whatever the shell holds.
  const env = {
    ...emulatorEnv(emulator.endpoint, {}),
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_REGION: region,
    ORDERS_TABLE_NAME: defaultTopology.tableName,
  }
  const clients = awsClients(env)
  return {
    emulator,
    dynamo,
    env,
    clients,
    provision: (topology = defaultTopology) => provision(clients, topology),
    stop: async () => {
      clients.sns.destroy()
      clients.sqs.destroy()
      clients.dynamodb.destroy()
      await Promise.all([emulator.stop(), dynamo.stop()])
    },
  }
}
