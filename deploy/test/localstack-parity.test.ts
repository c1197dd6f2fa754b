import { execFile, spawnSync } from 'node:child_process'
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startEmulator } from '@orders/stack/emulator'
import { provision } from '@orders/stack/provision'
import { topology } from '@orders/stack/topology'
import { clientsFor, topologySnapshot } from '@orders/stack/topology-snapshot'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const hooksDir = fileURLToPath(new URL('../../localstack/ready.d/', import.meta.url))
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0

// Runs the hooks as LocalStack would, except that `awslocal` is a wrapper around the aws CLI
// pointed at the given endpoint, and no AWS setting of the machine leaks in.
async function runHooks(endpoint: string) {
  const bin = await mkdtemp(join(tmpdir(), 'awslocal-'))
  try {
    const wrapper = join(bin, 'awslocal')
    await writeFile(wrapper, `#!/bin/sh\nexec aws --endpoint-url '${endpoint}' "$@"\n`)
    await chmod(wrapper, 0o755)
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
      PATH: `${bin}:${process.env.PATH}`,
      AWS_CONFIG_FILE: join(bin, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(bin, 'none'),
    }
    const hooks = (await readdir(hooksDir)).filter((name) => name.endsWith('.sh')).sort()
    for (const hook of hooks) await run(join(hooksDir, hook), [], { env })
    return hooks
  } finally {
    await rm(bin, { recursive: true, force: true })
  }
}

describe('LocalStack init hook parity', () => {
  if (!hasAwsCli) console.warn('skipped the LocalStack parity test: the aws CLI is not installed')

  it.skipIf(!hasAwsCli)(
    'when the init hook runs with awslocal mapped to aws --endpoint-url, then it builds what provision() builds',
    async () => {
      const viaHook = await startEmulator(0)
      const viaProvision = await startEmulator(0)
      const clients = clientsFor(viaProvision.endpoint)
      try {
        expect(await runHooks(viaHook.endpoint)).not.toHaveLength(0)
        await provision(clients)
        const [fromHook, fromProvision] = await Promise.all([
          topologySnapshot(viaHook.endpoint),
          topologySnapshot(viaProvision.endpoint),
        ])

        // The reference itself carries the declared values, so two empty emulators cannot pass.
        expect(fromProvision.topics).toEqual([topology.topicName])
        expect(fromProvision.queues[topology.queueName]).toMatchObject({
          VisibilityTimeout: String(topology.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(topology.retentionSeconds),
          ReceiveMessageWaitTimeSeconds: String(topology.receiveWaitSeconds),
          RedrivePolicy: {
            deadLetterTarget: topology.dlqName,
            maxReceiveCount: topology.maxReceiveCount,
          },
          Policy: expect.objectContaining({ Version: '2012-10-17' }),
        })
        expect(fromProvision.subscriptions).toEqual([
          {
            topic: topology.topicName,
            protocol: 'sqs',
            endpoint: topology.queueName,
            RawMessageDelivery: 'false',
          },
        ])

        expect(fromHook).toEqual(fromProvision)
      } finally {
        clients.sns.destroy()
        clients.sqs.destroy()
        await Promise.all([viaHook.stop(), viaProvision.stop()])
      }
    },
    60_000,
  )
})
