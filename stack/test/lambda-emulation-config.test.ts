import { describe, expect, it } from 'vitest'
import { parseEmulationConfig } from '../src/lambda/emulation-config.ts'

describe('emulation config', () => {
  const base = {
    ORDERS_QUEUE_URL: 'http://127.0.0.1:1/q',
    ORDERS_DLQ_URL: 'http://127.0.0.1:1/dlq',
    ORDERS_TABLE_NAME: 'orders',
  }

  it("when only the queues are set, then it runs with the addon's numbers", () => {
    expect(parseEmulationConfig(base)).toMatchObject({
      reservedConcurrency: 10,
      maxRetries: 2,
      timeoutMs: 10_000,
      maxEventAgeSeconds: 21_600,
    })
  })

  it("when the DLQ is missing or the timeout outlasts the queue's visibility, then it says so", () => {
    const { ORDERS_DLQ_URL: _, ...withoutDlq } = base
    expect(() => parseEmulationConfig(withoutDlq)).toThrow(/ORDERS_DLQ_URL/)
    expect(() => parseEmulationConfig({ ...base, LAMBDA_TIMEOUT_SECONDS: '60' })).toThrow(
      /LAMBDA_TIMEOUT_SECONDS/,
    )
  })
})
