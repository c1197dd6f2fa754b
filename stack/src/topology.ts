export type Topology = {
  topicName: string
  queueName: string
  dlqName: string
  visibilityTimeoutSeconds: number
  retentionSeconds: number
  receiveWaitSeconds: number
  dlqRetentionSeconds: number
  maxReceiveCount: number
}

// The one declaration of the messaging topology. `npm run provision`, the embedded stack and the
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
}

// Same shape under other names, so each test owns its queues and never purges a shared one.
export function namespacedTopology(suffix: string): Topology {
  return {
    ...topology,
    topicName: `${topology.topicName}-${suffix}`,
    queueName: `${topology.queueName}-${suffix}`,
    dlqName: `${topology.dlqName}-${suffix}`,
  }
}
