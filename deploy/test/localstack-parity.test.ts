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
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Call, startTableStandIn } from './dynamodb-tables.ts'
import { declaredShape, ordersTable, tableShape } from './orders-table.ts'

const run = promisify(execFile)
const hooksDir = fileURLToPath(new URL('../../localstack/ready.d/', import.meta.url))
const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0

// Runs the hooks as LocalStack would, except that `awslocal` is a wrapper around the aws CLI
// pointed at the given endpoints (DynamoDB's calls at their own), and no AWS setting of the
// machine leaks in.
async function runHooks(endpoints: { messaging: string; dynamodb: string }) {
  const bin = await mkdtemp(join(tmpdir(), 'awslocal-'))
  try {
    const wrapper = join(bin, 'awslocal')
    await writeFile(
      wrapper,
      [
        '#!/bin/sh',
        `endpoint='${endpoints.messaging}'`,
        `if [ "$1" = dynamodb ]; then endpoint='${endpoints.dynamodb}'; fi`,
        'exec aws --endpoint-url "$endpoint" "$@"',
        '',
      ].join('\n'),
    )
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

const writes = (calls: Call[]) =>
  calls.filter((c) => !/^(Describe|List|Get)/.test(c.operation)).map((c) => c.operation)

if (!hasAwsCli) console.warn('skipped the LocalStack parity test: the aws CLI is not installed')

describe.skipIf(!hasAwsCli)(
  'LocalStack init hook parity (awslocal mapped to aws --endpoint-url)',
  () => {
    let viaHook: Awaited<ReturnType<typeof startEmulator>>
    let viaProvision: Awaited<ReturnType<typeof startEmulator>>
    let tables: Awaited<ReturnType<typeof startTableStandIn>>
    let clients: ReturnType<typeof clientsFor>
    const runs: { hooks: string[]; calls: Call[] }[] = []

    // The hooks run twice against the same endpoints, as a restarted hook would find them.
    beforeAll(async () => {
      ;[viaHook, viaProvision, tables] = await Promise.all([
        startEmulator(0),
        startEmulator(0),
        startTableStandIn(),
      ])
      clients = clientsFor(viaProvision.endpoint)
      for (let i = 0; i < 2; i++) {
        const before = tables.calls.length
        const hooks = await runHooks({ messaging: viaHook.endpoint, dynamodb: tables.endpoint })
        runs.push({ hooks, calls: tables.calls.slice(before) })
      }
      await provision(clients)
    }, 120_000)

    afterAll(async () => {
      clients?.sns.destroy()
      clients?.sqs.destroy()
      await Promise.all([viaHook?.stop(), viaProvision?.stop(), tables?.stop()])
    })

    it('when the hook has run, then it builds the topic, queues and subscription provision() builds', async () => {
      expect(runs[0]?.hooks).not.toHaveLength(0)
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
    })

    it('when the hook has run, then the orders table is the declared one: on-demand, keyed by order_id, TTL on expires_at', () => {
      const { table, ttl } = tables.describe(ordersTable.name)
      expect(tableShape(table, ttl)).toEqual(declaredShape)
    })

    it('when the hook runs a second time, then it creates and changes nothing', () => {
      expect(writes(runs[0]?.calls ?? [])).toEqual(['CreateTable', 'UpdateTimeToLive'])
      expect(runs[1]?.calls.length).toBeGreaterThan(0)
      expect(writes(runs[1]?.calls ?? [])).toEqual([])
    })
  },
)
