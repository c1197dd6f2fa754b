import { ORDERS_TABLE_NAME } from '@orders/store/table'

export type Topology = {
  topicName: string
  queueName: string
  dlqName: string
  visibilityTimeoutSeconds: number
  retentionSeconds: number
  receiveWaitSeconds: number
  dlqRetentionSeconds: number
  maxReceiveCount: number
  // The orders table, which the same provisioning creates beside the topic and queues.
  tableName: string
}

// The one declaration of the messaging topology and its table. `npm run provision`, the embedded stack and the
// tests build from it; the LocalStack init hook and the Copilot manifests are checked against it.
export const topology: Readonly<Topology> = {
  topicName: 'orders',
  queueName: 'orders-queue',
  dlqName: 'orders-dlq',
  visibilityTimeoutSeconds: 30,
  retentionSeconds: 4 * 24 * 60 * 60,
  receiveWaitSeconds: 20,
  dlqRetentionSeconds: 14 * 24 * 60 * 60,
  maxReceiveCount: 5,
  tableName: ORDERS_TABLE_NAME,
}

// Same shape under other names, so each test owns its queues and table and never purges a
// shared one.
export function namespacedTopology(suffix: string): Topology {
  return {
    ...topology,
    topicName: `${topology.topicName}-${suffix}`,
    queueName: `${topology.queueName}-${suffix}`,
    dlqName: `${topology.dlqName}-${suffix}`,
    tableName: `${topology.tableName}-${suffix}`,
  }
}
