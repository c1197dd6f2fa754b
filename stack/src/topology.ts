// The one declaration of the messaging topology. `npm run provision`, the embedded stack and the
// tests build from it; the LocalStack init hook and the Copilot manifests are checked against it.
export const topology = {
  topicName: 'orders',
  queueName: 'orders-queue',
  dlqName: 'orders-dlq',
  visibilityTimeoutSeconds: 30,
  retentionSeconds: 4 * 24 * 60 * 60,
  receiveWaitSeconds: 20,
  dlqRetentionSeconds: 14 * 24 * 60 * 60,
  maxReceiveCount: 5,
} as const

export type Topology = typeof topology
