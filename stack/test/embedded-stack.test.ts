import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { promisify } from 'node:util'
import { PublishCommand } from '@aws-sdk/client-sns'
import { GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, describe, expect, it } from 'vitest'
import { awsClients, emulatorEnv } from '../src/aws.ts'
import { assertPortsFree } from '../src/ports.ts'
import { topology } from '../src/topology.ts'
import { embeddedStacks, freePorts } from './embedded-run.ts'
import { tryItCommands } from './markdown.ts'

const sh = promisify(execFile)
const { startStack, remove } = embeddedStacks()
afterAll(remove)

// A README "Try it" command as printed, sent to this test's receiver; `-w` adds the status line.
async function runTryIt(line: string, receiverPort: number) {
  const command = `${line.replaceAll('localhost:8080', `127.0.0.1:${receiverPort}`)} -w '\\n%{http_code}'`
  const { stdout } = await sh('sh', ['-c', command])
  const end = stdout.lastIndexOf('\n')
  return { status: Number(stdout.slice(end + 1)), body: stdout.slice(0, end) }
}

// A whole stack starts in each of these; on two shared cores that alone can take most of the
// default 20 s, so each waits on its own polls within this.
const STACK_TEST_TIMEOUT_MS = 60_000

describe('make up (embedded stack)', () => {
  it(
    "when it is up, then the README's curl examples work and the processor completes the async order",
    async () => {
      const ports = await freePorts()
      const stack = startStack(ports)
      try {
        await expect.poll(() => stack.output(), { timeout: 20_000 }).toContain('Stack is up')
        expect(stack.output().split('\n')[0]).toBe(
          'make up: embedded stack (fauxqs in one Node process, no Docker), because no Docker engine answers (`docker version` has no server). STACK=compose forces Docker.',
        )
        const curls = tryItCommands()
        expect(curls).toHaveLength(4)
        const [health, sync, async] = await Promise.all(
          curls.slice(0, 3).map((line) => runTryIt(line, ports.RECEIVER_PORT)),
        )
        expect(health).toEqual({ status: 200, body: 'OK' })
        expect(sync?.status).toBe(200)
        expect(JSON.parse(sync?.body ?? '')).toEqual({
          order_id: '001',
          customer_id: 123,
          items: [{ product_id: 'SKU-001', quantity: 1, price: 19.99 }],
          status: 'completed',
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
        })
        expect(async?.status).toBe(202)
        expect(JSON.parse(async?.body ?? '')).toEqual({
          order_id: '002',
          status: 'pending',
          message_id: expect.stringMatching(/\S/),
          status_url: '/orders/002',
        })
        // The fourth asks the URL the 202 named: the record is there at once, completed soon after.
        const statusOf = async () => {
          const answer = await runTryIt(curls[3] ?? '', ports.RECEIVER_PORT)
          expect(answer.status).toBe(200)
          const body = JSON.parse(answer.body)
          expect(Object.keys(body).sort()).toEqual(
            ['attempts', 'created_at', 'order_id', 'status', 'updated_at'].sort(),
          )
          expect(body.order_id).toBe('002')
          return body.status as string
        }
        expect(['pending', 'processing', 'completed']).toContain(await statusOf())
        await expect
          .poll(() => /processor\s*\|.*order completed.*"orderId":"002"/.test(stack.output()), {
            timeout: 10_000,
          })
          .toBe(true)
        await expect.poll(statusOf, { timeout: 10_000 }).toBe('completed')

        // Metrics are printed and served on their own ports; the receiver's public port hides them.
        const metricsUrls = [ports.RECEIVER_METRICS_PORT, ports.PROCESSOR_METRICS_PORT].map(
          (port) => `http://127.0.0.1:${port}/metrics`,
        )
        expect(stack.output()).toContain(
          `Metrics: receiver ${metricsUrls[0]}, processor ${metricsUrls[1]}`,
        )
        const [receiverMetrics, processorMetrics] = await Promise.all(
          metricsUrls.map((url) => fetch(url).then((res) => res.text())),
        )
        expect(receiverMetrics).toContain('orders_accepted_total{mode="async"} 1')
        expect(processorMetrics).toMatch(/^orders_processed_total 1$/m)
        const hidden = await fetch(`http://127.0.0.1:${ports.RECEIVER_PORT}/metrics`)
        expect(hidden.status).toBe(404)
      } finally {
        stack.process.kill('SIGINT')
      }
      expect(await stack.exited, stack.output()).toBe(0)
      expect(stack.output()).toContain('stopped')
      // Every port is free again: no emulator or service outlived the stack.
      await expect(assertPortsFree(ports)).resolves.toBeUndefined()
    },
    STACK_TEST_TIMEOUT_MS,
  )

  it.each(['RECEIVER_PORT', 'PROCESSOR_METRICS_PORT'] as const)(
    'when %s is taken, then it fails at once naming the variable',
    async (name) => {
      const squatter = createServer()
      await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve))
      const address = squatter.address()
      const taken = typeof address === 'object' && address ? address.port : 0
      try {
        const stack = startStack({ ...(await freePorts()), [name]: taken })
        expect(await stack.exited).toBe(1)
        expect(stack.output()).toContain(`port ${taken} (${name}) already in use`)
      } finally {
        squatter.close()
      }
    },
  )
})

describe('make up PROCESSOR=lambda (embedded stack)', () => {
  it(
    'when an order and poison are published, then the handler completes the order and poison reaches the DLQ after 3 attempts',
    async () => {
      const ports = await freePorts()
      const stack = startStack(ports, { PROCESSOR: 'lambda', LAMBDA_RETRY_DELAY_SECONDS: '0' })
      const { sns, sqs } = awsClients({
        ...emulatorEnv(`http://127.0.0.1:${ports.EMULATOR_PORT}`, {}),
        AWS_REGION: 'us-east-1',
      })
      try {
        await expect.poll(() => stack.output(), { timeout: 20_000 }).toContain('Stack is up')
        const asyncCurl = tryItCommands().find((line) => line.includes('/orders/async')) ?? ''
        const accepted = await runTryIt(asyncCurl, ports.RECEIVER_PORT)
        expect(accepted.status).toBe(202)
        expect(JSON.parse(accepted.body)).toMatchObject({ order_id: '002', status: 'pending' })
        await expect
          .poll(() => /lambda\s*\|.*order completed.*"orderId":"002"/.test(stack.output()), {
            timeout: 10_000,
          })
          .toBe(true)
        const metrics = await fetch(`http://127.0.0.1:${ports.PROCESSOR_METRICS_PORT}/metrics`)
        expect(await metrics.text()).toMatch(/^orders_processed_total 1$/m)

        const topicArn = /topic (arn:\S+)/.exec(stack.output())?.[1]
        await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'not an order' }))
        const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: topology.dlqName }))
        let dead: string | undefined
        await expect
          .poll(
            async () => {
              const { Messages = [] } = await sqs.send(
                new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }),
              )
              dead = Messages[0]?.Body
              return dead !== undefined
            },
            { timeout: 15_000 },
          )
          .toBe(true)
        expect(JSON.parse(dead ?? '')).toMatchObject({
          requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
          requestPayload: { Records: [{ Sns: { Message: 'not an order' } }] },
          responsePayload: { errorType: 'PoisonRecordError' },
        })
        // The DLQ can hold the message before the third attempt's log line crossed the pipes.
        await expect
          .poll(() => stack.output().match(/lambda\s*\| \[[^\]]+\] ERROR: poison record /g), {
            timeout: 5_000,
          })
          .toHaveLength(3)
      } finally {
        sns.destroy()
        sqs.destroy()
        stack.process.kill('SIGINT')
      }
      expect(await stack.exited, stack.output()).toBe(0)
      await expect(assertPortsFree(ports)).resolves.toBeUndefined()
    },
    STACK_TEST_TIMEOUT_MS,
  )
})
