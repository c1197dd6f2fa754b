import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs'
import { newOrder } from '@orders/order/order'
import { startProcess } from '@orders/stack/children'
import { freePort } from '@orders/stack/ports'
import { namespacedTopology, type Topology } from '@orders/stack/topology'
import type { CountingEmulator } from './emulator.ts'

// The V8 flags `npm start -w processor` runs the service with (processor/package.json): a young
// generation of at most 3 × 8 MB, where V8 would otherwise size it by the host's RAM.
export const NODE_FLAGS = '--max-semi-space-size=8'

export type Scenario = {
  design: string
  server: string
  concurrency: number
  timeMs: number
  jitterMs: number
}

export type Measured = {
  ordersPerSecond: number
  ofIdeal: number
  sqsPerOrder: number
  counts: Record<string, number>
  dynamodbPerOrder: number
  dynamodbCounts: Record<string, number>
  peakRssMb: number
  cpuMsPerOrder: number
  // Mean time of the processor's claim and complete requests, from its own metrics: what the
  // table added to each order (null where the design has no table or no such metric).
  claimMs: number | null
  completeMs: number | null
}

// One SNS envelope per order, as Copilot's subscription delivers them, sent 10 to a batch.
export async function fillQueue(emulator: CountingEmulator, queueUrl: string, count: number) {
  const batches = Array.from({ length: Math.ceil(count / 10) }, (_, b) =>
    Array.from({ length: Math.min(10, count - b * 10) }, (_, i) => {
      const order = newOrder({
        order_id: randomUUID(),
        customer_id: 1,
        items: [{ product_id: 'A', quantity: 1, price: 1 }],
      })
      const envelope = {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
        Message: JSON.stringify(order),
      }
      return { Id: String(i), MessageBody: JSON.stringify(envelope) }
    }),
  )
  for (let i = 0; i < batches.length; i += 20) {
    await Promise.all(
      batches
        .slice(i, i + 20)
        .map((Entries) =>
          emulator.clients.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries })),
        ),
    )
  }
}

export async function newQueue(emulator: CountingEmulator, overrides: Partial<Topology> = {}) {
  return emulator.provision({ ...namespacedTopology(randomUUID().slice(0, 8)), ...overrides })
}

// Starts the processor as its own process on a queue holding 20 × N orders and follows its
// lines until every order is done: "order completed", or, for an order whose completing write
// timed out once written, the "duplicate delivery" of its redelivery (each order is queued once).
export async function measure(emulator: CountingEmulator, s: Scenario): Promise<Measured> {
  const { queueUrl, tableName } = await newQueue(emulator)
  const total = 20 * s.concurrency
  await fillQueue(emulator, queueUrl, total)
  await emulator.takeCounts()

  const metricsPort = await freePort()
  const completedAt: number[] = []
  const finished = new Set<string>()
  const other: string[] = []
  let cpuAtStart = 0
  let allDone = () => {}
  const done = new Promise<void>((resolve) => {
    allDone = resolve
  })
  const child = startProcess(
    'processor',
    s.server,
    {
      PATH: process.env.PATH,
      ...emulator.env,
      PORT: String(await freePort()),
      METRICS_PORT: String(metricsPort),
      ORDERS_QUEUE_URL: queueUrl,
      ORDERS_TABLE_NAME: tableName,
      PROCESSOR_CONCURRENCY: String(s.concurrency),
      PROCESSING_TIME_MS: String(s.timeMs),
      PROCESSING_JITTER_MS: String(s.jitterMs),
      LOG_LEVEL: 'info',
      NODE_OPTIONS: NODE_FLAGS,
    },
    (line) => {
      const ends = line.includes('"order completed"') || line.includes('"duplicate delivery')
      if (!ends) {
        // Start-up (loading the SDK and the rest) is not the cost of an order.
        if (cpuAtStart === 0 && line.includes('"consuming"')) cpuAtStart = cpuMs(child.process.pid)
        other.push(line)
        return
      }
      // pino writes "time" first: regexes keep this process's CPU for the emulators.
      const orderId = /"orderId":"([^"]+)"/.exec(line)?.[1] ?? ''
      if (finished.has(orderId)) return
      finished.add(orderId)
      completedAt.push(Number(/"time":(\d+)/.exec(line)?.[1]))
      if (completedAt.length === total) allDone()
    },
  )
  const exited = child.exited.then((code) => {
    throw new Error(`processor exited (${code}) early:\n${other.slice(-10).join('\n')}`)
  })
  try {
    await Promise.race([done, exited])
    const { sqs: counts, dynamodb: dynamodbCounts } = await emulator.takeCounts()
    const peakRssMb = vmHwmKb(child.process.pid) / 1024
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
      .then((res) => res.text())
      .catch(() => '')
    const cpuMsPerOrder = (cpuMs(child.process.pid) - cpuAtStart) / total
    const requests = (byAction: Record<string, number>) =>
      Object.values(byAction).reduce((sum, n) => sum + n, 0)
    const ordersPerSecond = steadyRate(completedAt)
    const ideal = s.concurrency / (s.timeMs / 1000)
    return {
      ordersPerSecond,
      ofIdeal: ordersPerSecond / ideal,
      sqsPerOrder: requests(counts) / total,
      counts,
      dynamodbPerOrder: requests(dynamodbCounts) / total,
      dynamodbCounts,
      peakRssMb,
      cpuMsPerOrder,
      claimMs: meanStoreMs(metrics, 'claim'),
      completeMs: meanStoreMs(metrics, 'complete'),
    }
  } finally {
    exited.catch(() => {})
    child.process.kill('SIGTERM')
    await child.exited
  }
}

// Orders per second between the 10th and the 90th percentile completion: the steady state,
// without the ramp-up while slots first fill and the tail when the queue runs dry.
export function steadyRate(completedAt: number[]): number {
  const sorted = [...completedAt].sort((a, b) => a - b)
  const from = Math.floor(0.1 * sorted.length)
  const to = Math.floor(0.9 * sorted.length)
  const seconds = ((sorted[to] ?? 0) - (sorted[from] ?? 0)) / 1000
  return (to - from) / seconds
}

function meanStoreMs(metrics: string, operation: string): number | null {
  const read = (part: string) =>
    Number(
      new RegExp(
        `^orders_store_request_duration_seconds_${part}\\{operation="${operation}",outcome="ok"\\} (\\S+)`,
        'm',
      ).exec(metrics)?.[1] ?? Number.NaN,
    )
  const mean = (read('sum') / read('count')) * 1000
  return Number.isFinite(mean) ? mean : null
}

function vmHwmKb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN)
}

// User + system CPU time of a process (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of
// 10 ms on Linux), so the cost per order can be compared even when the machine is busy.
function cpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10
}
