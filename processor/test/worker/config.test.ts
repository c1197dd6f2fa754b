import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/worker/config.ts'

const queue = 'http://127.0.0.1:4566/000000000000/orders-queue'
const table = { ORDERS_TABLE_NAME: 'orders' }

describe('processor config', () => {
  it('when only the queue is set, then every other setting has its documented default', () => {
    expect(parseConfig({ ...table, ORDERS_QUEUE_URL: queue })).toMatchObject({
      port: 8081,
      metricsPort: 9081,
      queueUrl: queue,
      concurrency: 10,
      processingTimeMs: 3000,
      retryDelaySeconds: 5,
      leaseMs: 25_000,
      maxReceiveCount: 5,
      store: { tableName: 'orders', timeoutMs: 5000 },
      storeMaxInFlight: 16,
    })
  })

  it('when STORE_MAX_IN_FLIGHT is outside 1–128, then start-up fails naming it', () => {
    for (const value of ['0', '129', 'many']) {
      expect(() =>
        parseConfig({ ...table, ORDERS_QUEUE_URL: queue, STORE_MAX_IN_FLIGHT: value }),
      ).toThrow(/^processor: invalid configuration: STORE_MAX_IN_FLIGHT: /)
    }
    expect(
      parseConfig({ ...table, ORDERS_QUEUE_URL: queue, STORE_MAX_IN_FLIGHT: '128' }),
    ).toMatchObject({ storeMaxInFlight: 128 })
  })

  it('when no table is configured, then it fails with one readable line naming the variable', () => {
    expect(() => parseConfig({ ORDERS_QUEUE_URL: queue })).toThrow(
      'processor: invalid configuration: ORDERS_TABLE_NAME: set ORDERS_TABLE_NAME (the orders table)',
    )
  })

  it("when only Copilot's generated table variable is set, then the table comes from it", () => {
    const config = parseConfig({
      ORDERS_QUEUE_URL: queue,
      ORDERS_NAME_DDB_TABLE_NAME: 'app-env-orders',
    })
    expect(config.store.tableName).toBe('app-env-orders')
  })

  it('when the lease would not outlast the payment and the completing write, then start-up fails naming it', () => {
    const env = { ...table, ORDERS_QUEUE_URL: queue, ORDER_LEASE_SECONDS: '8' }
    expect(() => parseConfig(env)).toThrow('ORDER_LEASE_SECONDS: must outlast the payment')
    expect(parseConfig({ ...env, STORE_TIMEOUT_MS: '4000' }).leaseMs).toBe(8000)
  })

  it("when Copilot's COPILOT_QUEUE_URI is set, then the queue comes from it", () => {
    expect(parseConfig({ ...table, COPILOT_QUEUE_URI: queue }).queueUrl).toBe(queue)
  })

  it('when no queue is configured, then it fails with one readable line naming the variable', () => {
    expect(() => parseConfig({})).toThrow(/^processor: invalid configuration: ORDERS_QUEUE_URL/)
  })

  it('when METRICS_PORT is the health port, then the message names it', () => {
    expect(() =>
      parseConfig({ ...table, ORDERS_QUEUE_URL: queue, PORT: '9000', METRICS_PORT: '9000' }),
    ).toThrow(/METRICS_PORT: must differ from PORT/)
  })

  it('when PROCESSOR_CONCURRENCY is not a positive integer, then the message names it', () => {
    expect(() =>
      parseConfig({ ...table, ORDERS_QUEUE_URL: queue, PROCESSOR_CONCURRENCY: '0' }),
    ).toThrow('PROCESSOR_CONCURRENCY')
  })

  it('when PROCESSOR_CONCURRENCY is 1000 or 2000, then it is accepted', () => {
    for (const n of ['1000', '2000']) {
      expect(
        parseConfig({ ...table, ORDERS_QUEUE_URL: queue, PROCESSOR_CONCURRENCY: n }).concurrency,
      ).toBe(Number(n))
    }
  })

  it('when PROCESSOR_CONCURRENCY is above 2000, then start-up fails saying the limit', () => {
    expect(() =>
      parseConfig({ ...table, ORDERS_QUEUE_URL: queue, PROCESSOR_CONCURRENCY: '2001' }),
    ).toThrow(
      'processor: invalid configuration: PROCESSOR_CONCURRENCY: at most 2000 orders in flight per processor',
    )
  })

  it('when the payment jitter exceeds the payment time, then start-up fails naming it', () => {
    expect(() =>
      parseConfig({
        ...table,
        ORDERS_QUEUE_URL: queue,
        PROCESSING_TIME_MS: '100',
        PROCESSING_JITTER_MS: '150',
      }),
    ).toThrow('PROCESSING_JITTER_MS: must not exceed PROCESSING_TIME_MS')
  })
})
