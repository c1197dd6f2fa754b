import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Child, startChild, stopChild } from '@orders/stack/children'
import { startLocalAws } from '@orders/stack/emulator'
import { freePort } from '@orders/stack/ports'
import { vi } from 'vitest'
import { parseLoadArgs } from '../src/load/args.ts'

// The services' entry points, found through their package exports wherever their files live.
const entry = (specifier: string) => createRequire(import.meta.url).resolve(specifier)

export type TestStack = Awaited<ReturnType<typeof startTestStack>>

// The embedded stack as `make up` builds it (emulator in process, receiver and processor as
// child processes), on free ports, with a fast payment and a private reports folder.
export async function startTestStack({ processingMs = 50 } = {}) {
  const aws = await startLocalAws()
  const children: Child[] = []
  const out = await mkdtemp(join(tmpdir(), 'load-test-'))
  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child, 5000)))
    await aws.stop()
    await rm(out, { recursive: true, force: true })
  }
  try {
    const { topicArn, queueUrl } = await aws.provision()
    const env = {
      PATH: process.env.PATH,
      ...aws.env,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PROCESSING_TIME_MS: String(processingMs),
    }
    // Another receiver on the same emulator, configured to shed or to fail (extra wins).
    const startReceiver = async (extra: NodeJS.ProcessEnv = {}) => {
      const [port, metricsPort] = [await freePort(), await freePort()]
      const child = startChild('receiver', entry('@orders/receiver/server'), {
        ...env,
        PORT: String(port),
        METRICS_PORT: String(metricsPort),
        ORDERS_TOPIC_ARN: topicArn,
        ...extra,
      })
      children.push(child)
      const host = `http://127.0.0.1:${port}`
      await healthy(host)
      return { host, metrics: `http://127.0.0.1:${metricsPort}` }
    }
    const [processorPort, processorMetricsPort] = [await freePort(), await freePort()]
    // The processor's metrics port: where the load tool reads orders_processed_total.
    const processor = `http://127.0.0.1:${processorMetricsPort}`
    children.push(
      startChild('processor', entry('@orders/processor/server'), {
        ...env,
        PORT: String(processorPort),
        METRICS_PORT: String(processorMetricsPort),
        ORDERS_QUEUE_URL: queueUrl,
      }),
    )
    // The receiver's metrics: where its order_status_requests_total counts the status polls.
    const { host, metrics } = await startReceiver()
    await healthy(`http://127.0.0.1:${processorPort}`)
    const where = ['--host', host, '--endpoint', aws.emulator.endpoint]
    const targets = [...where, '--processor', processor]
    // Without --processor, as after `make up`: the tool finds the metrics port in the environment.
    const dotenv = { PROCESSOR_METRICS_PORT: String(processorMetricsPort) }
    const options = (argv: string[]) => {
      const command = parseLoadArgs([...argv, ...where], dotenv, out)
      if (command.command !== 'run') throw new Error(`expected a run, got ${command.command}`)
      return command.options
    }
    return { aws, host, metrics, processor, out, targets, options, startReceiver, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

async function healthy(url: string) {
  await vi.waitFor(
    async () => {
      const res = await fetch(`${url}/health`)
      if (!res.ok) throw new Error(`${url}/health answered ${res.status}`)
    },
    { timeout: 15_000, interval: 100 },
  )
}

export async function readLines<T>(path: string): Promise<T[]> {
  const text = (await readFile(path, 'utf8')).trim()
  return text.split('\n').map((line) => JSON.parse(line) as T)
}
