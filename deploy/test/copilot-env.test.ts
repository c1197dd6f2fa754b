import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import { postOrder, serviceEntry, useServicesOnLocalAws } from '@orders/stack/service-process'
import { describe, expect, it } from 'vitest'
import { processorManifest, readYaml } from './copilot.ts'

const aws = useServicesOnLocalAws()

// The only AWS wiring a service can find is what Copilot injects on ECS: no ORDERS_TOPIC_ARN, no
// ORDERS_QUEUE_URL.
const startWithCopilotVariables = (
  name: 'receiver' | 'processor',
  wiring: Record<string, string>,
) =>
  aws.local.start(name, serviceEntry(name), {
    ...wiring,
    HOST: '127.0.0.1',
    PROCESSING_TIME_MS: '50',
    LOG_LEVEL: 'info',
  })

// The manifest's ECS health check command, run as ECS would run it inside the processor's task.
function containerHealthCheck(port: number) {
  const manifest = processorManifest.parse(readYaml('copilot/processor/manifest.yml'))
  const [form, program, ...args] = manifest.image.healthcheck.command
  expect([form, program]).toEqual(['CMD', 'node'])
  return promisify(execFile)(process.execPath, args, { env: { PORT: String(port) } })
}

describe('services configured only by Copilot variables', () => {
  it('when an order is posted async, then the processor completes it from its Copilot queue', async () => {
    const receiver = await startWithCopilotVariables('receiver', {
      COPILOT_SNS_TOPIC_ARNS: JSON.stringify({ orders: aws.local.queues.topicArn }),
    })
    const processor = await startWithCopilotVariables('processor', {
      COPILOT_QUEUE_URI: aws.local.queues.queueUrl,
    })

    // Each reports the address it resolved: the proof it used the Copilot variable.
    const listening = await receiver.line((line) => line.msg === 'listening')
    expect(listening.topicArn).toBe(aws.local.queues.topicArn)
    const consuming = await processor.line((line) => line.msg === 'consuming')
    expect(consuming.queueUrl).toBe(aws.local.queues.queueUrl)
    await expect(containerHealthCheck(processor.port)).resolves.toBeDefined()

    const orderId = randomUUID()
    const answer = await postOrder(receiver.url, orderId)
    expect(answer).toMatchObject({ status: 202, body: { order_id: orderId, status: 'pending' } })

    const completed = await processor.line(
      (line) => line.msg === 'order completed' && line.orderId === orderId,
    )
    expect(completed.status).toBe('completed')
  })
})
