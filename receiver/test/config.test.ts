import { describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config.ts'

const topic = 'arn:aws:sns:us-east-1:000000000000:orders'
const needed = { ORDERS_TOPIC_ARN: topic, ORDERS_TABLE_NAME: 'orders' }

describe('receiver config', () => {
  it('when only the topic and the table are set, then every other setting has its documented default', () => {
    expect(parseConfig(needed)).toEqual({
      port: 8080,
      host: '127.0.0.1',
      metricsPort: 9080,
      topicArn: topic,
      region: 'us-east-1',
      endpoint: undefined,
      syncConcurrency: 20,
      syncQueueLimit: 20,
      publishWaitingLimit: 1000,
      keepAliveTimeoutMs: 65_000,
      headersTimeoutMs: 66_000,
      processingTimeMs: 3000,
      publishTimeoutMs: 5000,
      publishLingerMs: 2,
      tableName: 'orders',
      storeTimeoutMs: 1000,
      publishWindowMs: 2 + 5000 + 1000,
      syncLeaseMs: 10_000,
      logLevel: 'info',
    })
  })

  it('when the linger, the SNS timeout and the store timeout change, then the publish window is their sum', () => {
    const env = {
      ...needed,
      PUBLISH_LINGER_MS: '10',
      SNS_PUBLISH_TIMEOUT_MS: '2000',
      STORE_TIMEOUT_MS: '300',
    }
    expect(parseConfig(env).publishWindowMs).toBe(2310)
  })

  it('when payments take longer than half the 10 s floor, then the sync lease is twice a payment', () => {
    expect(parseConfig({ ...needed, PROCESSING_TIME_MS: '8000' }).syncLeaseMs).toBe(16_000)
  })

  it('when no table is configured, then it fails naming ORDERS_TABLE_NAME', () => {
    expect(() => parseConfig({ ORDERS_TOPIC_ARN: topic })).toThrow(
      /^receiver: invalid configuration: ORDERS_TABLE_NAME: /,
    )
  })

  it("when Copilot's COPILOT_SNS_TOPIC_ARNS is set, then the orders topic comes from it", () => {
    const env = {
      ORDERS_TABLE_NAME: 'orders',
      COPILOT_SNS_TOPIC_ARNS: JSON.stringify({ orders: topic, other: 'arn:x' }),
    }
    expect(parseConfig(env).topicArn).toBe(topic)
  })

  it('when SYNC_QUEUE_LIMIT is unset, then as many may wait as SYNC_CONCURRENCY pays at once', () => {
    expect(parseConfig({ ...needed, SYNC_CONCURRENCY: '7' }).syncQueueLimit).toBe(7)
    const env = { ...needed, SYNC_CONCURRENCY: '7', SYNC_QUEUE_LIMIT: '0' }
    expect(parseConfig(env).syncQueueLimit).toBe(0)
  })

  it('when the keep-alive timeout is not above the load balancer idle timeout, then it fails naming the variable', () => {
    const env = { ...needed, KEEP_ALIVE_TIMEOUT_MS: '60000' }
    expect(() => parseConfig(env)).toThrow(
      /^receiver: invalid configuration: KEEP_ALIVE_TIMEOUT_MS: must be above the load balancer's idle timeout \(60000 ms/,
    )
    expect(parseConfig({ ...env, KEEP_ALIVE_TIMEOUT_MS: '60001' }).keepAliveTimeoutMs).toBe(60_001)
  })

  it('when the headers timeout is not above the keep-alive timeout, then it fails naming the variable', () => {
    const env = {
      ...needed,
      KEEP_ALIVE_TIMEOUT_MS: '90000',
      HEADERS_TIMEOUT_MS: '90000',
    }
    expect(() => parseConfig(env)).toThrow(
      /^receiver: invalid configuration: HEADERS_TIMEOUT_MS: must be above KEEP_ALIVE_TIMEOUT_MS$/,
    )
  })

  it('when no topic is configured, then it fails with one readable line naming the variable', () => {
    expect(() => parseConfig({})).toThrow(/^receiver: invalid configuration: ORDERS_TOPIC_ARN: set/)
  })

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['METRICS_PORT', { METRICS_PORT: '70000' }],
    ['METRICS_PORT', { PORT: '9000', METRICS_PORT: '9000' }],
    ['SYNC_CONCURRENCY', { SYNC_CONCURRENCY: '0' }],
    ['PUBLISH_LINGER_MS', { PUBLISH_LINGER_MS: '-1' }],
    ['PUBLISH_LINGER_MS', { PUBLISH_LINGER_MS: '2.5' }],
    ['SYNC_QUEUE_LIMIT', { SYNC_QUEUE_LIMIT: '-1' }],
    ['PUBLISH_WAITING_LIMIT', { PUBLISH_WAITING_LIMIT: '0' }],
    ['KEEP_ALIVE_TIMEOUT_MS', { KEEP_ALIVE_TIMEOUT_MS: 'a minute' }],
    ['HEADERS_TIMEOUT_MS', { HEADERS_TIMEOUT_MS: '300001' }],
    ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'localhost' }],
    ['AWS_ENDPOINT_URL_DYNAMODB', { AWS_ENDPOINT_URL_DYNAMODB: 'dynalite on 8000' }],
    ['STORE_TIMEOUT_MS', { STORE_TIMEOUT_MS: '0' }],
    ['ORDERS_TABLE_NAME', { ORDERS_TABLE_NAME: 'ab' }],
    ['COPILOT_SNS_TOPIC_ARNS', { COPILOT_SNS_TOPIC_ARNS: '{not json' }],
    ['COPILOT_SNS_TOPIC_ARNS', { COPILOT_SNS_TOPIC_ARNS: '{"payments":"arn:x"}' }],
  ])('when %s is invalid, then the message names it', (name, env) => {
    const base = name === 'COPILOT_SNS_TOPIC_ARNS' ? { ORDERS_TABLE_NAME: 'orders' } : needed
    expect(() => parseConfig({ ...base, ...env })).toThrow(name)
  })
})
