import { rmSync, writeFileSync } from 'node:fs'
import { parseEnvOrExit, port } from '@orders/service/config'
import { z } from 'zod'
import { startLocalAws } from './emulator.ts'

// The compose stack's fauxqs (stack/Dockerfile): fauxqs and dynalite, provisioned with the one
// topology by the same code as `npm run provision`. The image's HEALTHCHECK passes only once
// READY_FILE exists, so receiver and processor start after the topic, queues and table do.
const env = parseEnvOrExit(
  z.object({
    HOST: z.string().default('127.0.0.1'),
    PORT: port.min(1).default(4566),
    // dynalite, the orders table, beside fauxqs (8000 is DynamoDB Local's port).
    DYNAMODB_PORT: port.min(1).default(8000),
    AWS_REGION: z.string().default('us-east-1'),
    READY_FILE: z.string().default('/tmp/topology-ready'),
  }),
  process.env,
  'fauxqs emulator',
)

// A restarted container keeps its files but fauxqs keeps nothing: not ready until provisioned again.
rmSync(env.READY_FILE, { force: true })
const localAws = await startLocalAws(env.PORT, env.AWS_REGION, env.HOST, env.DYNAMODB_PORT)
const resources = await localAws.provision()
writeFileSync(env.READY_FILE, `${JSON.stringify(resources)}\n`)
console.log(JSON.stringify({ msg: 'topology ready', host: env.HOST, port: env.PORT, ...resources }))

async function stop(signal: string) {
  console.log(JSON.stringify({ msg: 'stopping', signal }))
  rmSync(env.READY_FILE, { force: true })
  await localAws.stop()
  process.exit(0)
}
process.once('SIGTERM', () => stop('SIGTERM'))
process.once('SIGINT', () => stop('SIGINT'))
