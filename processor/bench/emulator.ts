import { awsClients, emulatorEnv } from '@orders/stack/aws'
import { provision } from '@orders/stack/provision'
import type { Topology } from '@orders/stack/topology'
import { buildApp } from 'fauxqs'

// fauxqs on 127.0.0.1 with a hook that counts every SQS request by action (the X-Amz-Target
// header of the JSON protocol), so the benchmark counts what the processor really sent.
export async function startCountingEmulator() {
  const counts = new Map<string, number>()
  const app = buildApp({ logger: false })
  app.addHook('onRequest', async (request) => {
    const target = request.headers['x-amz-target']
    if (typeof target !== 'string' || !target.startsWith('AmazonSQS.')) return
    const action = target.slice('AmazonSQS.'.length)
    counts.set(action, (counts.get(action) ?? 0) + 1)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('emulator has no TCP port')
  const endpoint = `http://127.0.0.1:${address.port}`
  const env = { ...emulatorEnv(endpoint, {}), AWS_REGION: 'us-east-1' }
  const clients = awsClients(env)
  return {
    port: address.port,
    env,
    clients,
    provision: (topology: Topology) => provision(clients, topology),
    // Requests by action since the last call, then counting starts again from zero.
    takeCounts() {
      const taken = Object.fromEntries(counts)
      counts.clear()
      return taken as Record<string, number>
    },
    async stop() {
      clients.sns.destroy()
      clients.sqs.destroy()
      await app.close()
    },
  }
}

export type CountingEmulator = Awaited<ReturnType<typeof startCountingEmulator>>
