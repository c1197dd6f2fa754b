import { useTables } from '@orders/stack/tables'

// The function's table, for tests that run the entry or the bundle in a process of its own: the
// variables it reads on AWS, pointing at dynalite in the test's process.
export function useFunctionTable() {
  const tables = useTables()
  return async () => {
    const { tableName, store } = await tables.newStore()
    const env = {
      ORDERS_TABLE_NAME: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    }
    return { env, store }
  }
}
