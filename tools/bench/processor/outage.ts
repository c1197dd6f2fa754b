import { setTimeout as sleep } from 'node:timers/promises'
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { startSwitchableProxy } from '@orders/processor/switchable-proxy'
import { startProcess } from '@orders/stack/children'
import { freePort } from '@orders/stack/ports'
import type { CountingEmulator } from './emulator.ts'
import { fillQueue, NODE_FLAGS, newQueue } from './scenario.ts'

const N = 100
const ORDERS = 1500
const OUTAGE_MS = 20_000
// The info line each order writes when it completes (or is skipped as a duplicate) is the normal
// output, not noise caused by the outage.
const PER_ORDER = new Set(['order completed', 'duplicate delivery; payment not repeated'])

// The processor (N = 100, T = 1 s) works through a backlog; its SQS endpoint, a proxy in front of
// the emulator, then refuses connections for 20 s and comes back.
export async function runOutage(emulator: CountingEmulator, server: string) {
  // A short visibility timeout so deletes lost in the outage come back within the run.
  const { queueUrl, dlqUrl, tableName } = await newQueue(emulator, {
    visibilityTimeoutSeconds: 10,
  })
  await fillQueue(emulator, queueUrl, ORDERS)
  const proxy = await startSwitchableProxy(emulator.port)
  const completed = new Set<string>()
  const lines: Array<{ at: number; msg: string }> = []
  const child = startProcess(
    'processor',
    server,
    {
      PATH: process.env.PATH,
      ...emulator.env,
      AWS_ENDPOINT_URL: proxy.endpoint,
      PORT: String(await freePort()),
      METRICS_PORT: String(await freePort()),
      ORDERS_QUEUE_URL: queueUrl,
      ORDERS_TABLE_NAME: tableName,
      PROCESSOR_CONCURRENCY: String(N),
      PROCESSING_TIME_MS: '1000',
      NODE_OPTIONS: NODE_FLAGS,
    },
    (line) => {
      if (!line.startsWith('{')) {
        lines.push({ at: Date.now(), msg: line })
        return
      }
      const parsed = JSON.parse(line) as { msg: string; orderId?: string }
      lines.push({ at: Date.now(), msg: parsed.msg })
      if (parsed.msg === 'order completed' && parsed.orderId) completed.add(parsed.orderId)
    },
  )
  try {
    await until(() => completed.size >= 300, 60_000)
    const cutAt = Date.now()
    await proxy.cut()
    await sleep(OUTAGE_MS)
    await proxy.restore()
    const restoredAt = Date.now()
    await until(() => completed.size === ORDERS, 120_000)
    await until(async () => (await depth(emulator, queueUrl)) === 0, 60_000)
    const dlq = await depth(emulator, dlqUrl)

    const during = lines.filter((l) => l.at >= cutAt && !PER_ORDER.has(l.msg))
    const byMessage = new Map<string, number>()
    for (const l of during) byMessage.set(l.msg, (byMessage.get(l.msg) ?? 0) + 1)
    const resumed = lines.find((l) => l.at >= restoredAt && l.msg === 'order completed')
    const duplicates = lines.filter((l) => l.msg === 'duplicate delivery; payment not repeated')
    console.log(`
Outage: with N=${N}, T=1000 ms and ${ORDERS} orders queued, the processor's SQS endpoint (a TCP
proxy in front of the emulator) refused connections for ${(restoredAt - cutAt) / 1000} s, then came back.
  log lines from the cut to the end, per-order info lines excluded: ${during.length}
${[...byMessage].map(([msg, n]) => `    ${String(n).padStart(4)}  ${msg}`).join('\n')}
  first order completed ${resumed ? `${((resumed.at - restoredAt) / 1000).toFixed(1)} s` : 'never'} after the endpoint returned
  orders: ${ORDERS} queued, ${completed.size} completed, ${duplicates.length} redeliveries skipped as duplicates, ${dlq} in the DLQ, queue empty
  same process throughout: ${child.process.exitCode === null ? `yes (pid ${child.process.pid})` : 'no'}`)
  } finally {
    child.process.kill('SIGTERM')
    await child.exited
    await proxy.close()
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`outage benchmark: gave up after ${timeoutMs} ms`)
    await sleep(200)
  }
}

async function depth(emulator: CountingEmulator, queueUrl: string) {
  const { Attributes = {} } = await emulator.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
  )
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  )
}
