import { describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config.ts'

const queue = 'http://127.0.0.1:4566/000000000000/orders-queue'

describe('processor config', () => {
  it('when only the queue is set, then every other setting has its documented default', () => {
    expect(parseConfig({ ORDERS_QUEUE_URL: queue })).toMatchObject({
      port: 8081,
      metricsPort: 9081,
      queueUrl: queue,
      concurrency: 10,
      processingTimeMs: 3000,
      retryDelaySeconds: 5,
    })
  })

  it("when Copilot's COPILOT_QUEUE_URI is set, then the queue comes from it", () => {
    expect(parseConfig({ COPILOT_QUEUE_URI: queue }).queueUrl).toBe(queue)
  })

  it('when no queue is configured, then it fails with one readable line naming the variable', () => {
    expect(() => parseConfig({})).toThrow(/^processor: invalid configuration: ORDERS_QUEUE_URL/)
  })

  it('when METRICS_PORT is the health port, then the message names it', () => {
    expect(() =>
      parseConfig({ ORDERS_QUEUE_URL: queue, PORT: '9000', METRICS_PORT: '9000' }),
    ).toThrow(/METRICS_PORT: must differ from PORT/)
  })

  it('when PROCESSOR_CONCURRENCY is not a positive integer, then the message names it', () => {
    expect(() => parseConfig({ ORDERS_QUEUE_URL: queue, PROCESSOR_CONCURRENCY: '0' })).toThrow(
      'PROCESSOR_CONCURRENCY',
    )
  })
})
