import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseConfig as processorConfig } from '@orders/processor/config'
import { type AppDeps, createApp } from '@orders/receiver/app'
import { parseConfig as receiverConfig } from '@orders/receiver/config'
import { createMetrics } from '@orders/receiver/metrics'
import { topology } from '@orders/stack/topology'
import { pino } from 'pino'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  drainDeadlineSeconds,
  environmentManifest,
  processorManifest,
  readYaml,
  receiverManifest,
  repoPath,
} from './copilot.ts'
import { patchedTemplate } from './copilot-patch.ts'

const receiver = receiverManifest.parse(readYaml('copilot/receiver/manifest.yml'))
const processor = processorManifest.parse(readYaml('copilot/processor/manifest.yml'))
const environment = environmentManifest.parse(readYaml('copilot/environments/dev/manifest.yml'))
// The variables exactly as the tasks get them, with the ones Copilot injects for the AWS wiring.
const receiverSettings = receiverConfig({
  ...receiver.variables,
  COPILOT_SNS_TOPIC_ARNS: JSON.stringify({ orders: 'arn:aws:sns:us-east-1:1:orders' }),
  ORDERS_TABLE_NAME: 'orders-dev-orders',
})
const processorSettings = processorConfig({
  ...processor.variables,
  COPILOT_QUEUE_URI: 'https://sqs.us-east-1.amazonaws.com/1/orders-dev-processor-EventsQueue-x',
  ORDERS_TABLE_NAME: 'orders-dev-orders',
})

// The receiver's app as it runs on image.port, the port the load balancer forwards to.
function appOnImagePort() {
  return createApp({
    // Never asked: these requests reach no order route.
    records: {} as AppDeps['records'],
    publishOrder: () => Promise.reject(new Error('not used here')),
    processOrder: (order) => Promise.resolve(order),
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    syncConcurrency: 1,
  })
}

describe('copilot workspace', () => {
  it('when Copilot reads .workspace, then the application is orders', () => {
    expect(readYaml('copilot/.workspace')).toEqual({ application: 'orders' })
  })

  it('when the dev environment is created, then its VPC has the Terraform layout in two AZs', () => {
    expect(environment).toMatchObject({ name: 'dev', type: 'Environment' })
    expect(environment.network.vpc.cidr).toBe('10.0.0.0/16')
    const cidrs = (kind: 'public' | 'private') =>
      environment.network.vpc.subnets[kind].map((subnet) => subnet.cidr)
    expect(cidrs('public')).toEqual(['10.0.1.0/24', '10.0.2.0/24'])
    expect(cidrs('private')).toEqual(['10.0.10.0/24', '10.0.11.0/24'])
  })
})

describe.each([
  ['receiver', receiver.image.build],
  ['processor', processor.image.build],
])('%s image', (service, build) => {
  // Paths in a manifest are relative to the workspace root, the folder that holds copilot/.
  const context = repoPath(build.context)

  it('when Copilot builds it, then the Dockerfile and the context exist', () => {
    expect(build.dockerfile).toBe(`${service}/Dockerfile`)
    expect(existsSync(repoPath(build.dockerfile)), `${build.dockerfile} is missing`).toBe(true)
    expect(statSync(context).isDirectory()).toBe(true)
  })

  it('when the Dockerfile copies files, then each one is inside the build context', () => {
    const dockerfile = readFileSync(repoPath(build.dockerfile), 'utf8')
    const sources = [...dockerfile.matchAll(/^COPY\s+(?!.*--from)(.+)$/gim)]
      .flatMap((match) => (match[1] ?? '').split(/\s+/).filter((t) => !t.startsWith('--')))
      .filter((token, i, all) => i < all.length - 1 && !/[*?[]/.test(token))
    expect(sources.length).toBeGreaterThan(0)
    for (const source of sources) expect(existsSync(join(context, source)), source).toBe(true)
  })
})

describe('receiver manifest', () => {
  it('when deployed, then it is a 256/512 load-balanced web service on its own port', () => {
    expect(receiver).toMatchObject({ name: 'receiver', type: 'Load Balanced Web Service' })
    expect([receiver.cpu, receiver.memory]).toEqual([256, 512])
    expect(receiver.http.path).toBe('/')
    expect(receiverSettings.port).toBe(receiver.image.port)
  })

  it('when the load balancer routes every path, then /metrics is not on its port', async () => {
    // The ALB forwards to image.port (no http.target_port); metrics listen elsewhere.
    const raw = readYaml('copilot/receiver/manifest.yml') as { http: Record<string, unknown> }
    expect(raw.http.target_port).toBeUndefined()
    expect(receiverSettings.metricsPort).not.toBe(receiver.image.port)
    const res = await request(appOnImagePort()).get('/metrics')
    expect(res.status).toBe(404)
    expect(res.body.error).toBe('not_found')
  })

  it('when the load balancer probes the health check path, then the receiver answers 200', async () => {
    const { healthcheck } = receiver.http
    expect(healthcheck.path).toBe('/health')
    const res = await request(appOnImagePort()).get(healthcheck.path)
    expect(String(res.status)).toBe(healthcheck.success_codes)
    expect(healthcheck.timeout).toBeLessThan(healthcheck.interval)
  })

  it('when load grows, then a range and a CPU or request target drive autoscaling', () => {
    const { count } = receiver
    expect(count.range.max).toBeGreaterThan(count.range.min)
    expect(count.cpu_percentage ?? count.requests).toBeDefined()
  })

  it('when it publishes, then it declares the topic named in the topology', () => {
    expect(receiver.publish.topics).toEqual([{ name: topology.topicName }])
  })
})

describe('processor manifest', () => {
  const { queue, topics } = processor.subscribe

  it('when deployed, then it is a 256/512 worker subscribed to the topic the receiver publishes', () => {
    expect(processor).toMatchObject({ name: 'processor', type: 'Worker Service' })
    expect([processor.cpu, processor.memory]).toEqual([256, 512])
    expect(topics).toEqual([{ name: topology.topicName, service: receiver.name }])
    expect(receiver.publish.topics.map((topic) => topic.name)).toContain(topics[0]?.name)
  })

  it('when deployed, then its metrics port is not its health port', () => {
    expect(processorSettings.metricsPort).not.toBe(processorSettings.port)
  })

  it('when Copilot creates the queue, then it matches the local topology', () => {
    expect(queue.dead_letter.tries).toBe(topology.maxReceiveCount)
    expect(queue.timeout).toBe(topology.visibilityTimeoutSeconds * 1000)
    expect(queue.retention).toBe(topology.retentionSeconds * 1000)
  })

  it('when an order is being paid, then the visibility timeout outlasts the payment', () => {
    expect(queue.timeout).toBeGreaterThan(processorSettings.processingTimeMs)
    expect(queue.timeout).toBeGreaterThan(processorSettings.retryDelaySeconds * 1000)
  })

  it('when it scales on queue delay, then msg_processing_time is the time per order per task', () => {
    const { range, queue_delay } = processor.count
    expect(range.max).toBeGreaterThan(range.min)
    expect(queue_delay.msg_processing_time).toBe(
      processorSettings.processingTimeMs / processorSettings.concurrency,
    )
    expect(queue_delay.acceptable_latency).toBeGreaterThan(queue_delay.msg_processing_time)
    expect(processorSettings.processingTimeMs).toBe(receiverSettings.processingTimeMs)
  })
})

// What Copilot deploys: the rendered task definition after overrides/cfn.patches.yml.
const firstContainer = z.object({
  ContainerDefinitions: z.array(z.object({ StopTimeout: z.number() })).min(1),
})

describe.each(['receiver', 'processor'] as const)('%s stop timeout', (service) => {
  it('when ECS stops a task, then SIGKILL waits longer than the SIGTERM drain', () => {
    const task = patchedTemplate(service).Resources.TaskDefinition?.Properties
    const stopTimeout = firstContainer.parse(task).ContainerDefinitions[0]?.StopTimeout ?? 0
    expect(stopTimeout).toBeGreaterThan(drainDeadlineSeconds(service))
    // Fargate refuses a stop timeout above 120 s.
    expect(stopTimeout).toBeLessThanOrEqual(120)
  })
})
