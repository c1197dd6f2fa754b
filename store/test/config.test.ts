import { describe, expect, it } from 'vitest'
import { parseStoreConfig } from '../src/config.ts'

describe('store config', () => {
  it('when ORDERS_TABLE_NAME is set, then it names the table and the timeout has its default', () => {
    expect(parseStoreConfig({ ORDERS_TABLE_NAME: 'orders-x' }, 'svc')).toEqual({
      tableName: 'orders-x',
      timeoutMs: 1000,
    })
  })

  it("when only Copilot's variable is set, then the table comes from it; ORDERS_TABLE_NAME wins", () => {
    const copilot = { ORDERS_NAME_DDB_TABLE_NAME: 'app-env-orders' }
    expect(parseStoreConfig(copilot, 'svc').tableName).toBe('app-env-orders')
    expect(parseStoreConfig({ ...copilot, ORDERS_TABLE_NAME: 'mine' }, 'svc').tableName).toBe(
      'mine',
    )
  })

  it('when no table is set, then one line names the variable and the service', () => {
    expect(() => parseStoreConfig({}, 'svc')).toThrow(
      'svc: invalid configuration: ORDERS_TABLE_NAME: set ORDERS_TABLE_NAME (the orders table)',
    )
  })

  it('when STORE_TIMEOUT_MS is not a number of milliseconds, then it is named', () => {
    expect(() =>
      parseStoreConfig({ ORDERS_TABLE_NAME: 'o-1', STORE_TIMEOUT_MS: 'x' }, 's'),
    ).toThrow('STORE_TIMEOUT_MS')
  })
})
