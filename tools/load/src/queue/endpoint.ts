import { awsClients } from '@orders/stack/aws'

export type QueueFlags = { endpoint?: string; aws?: boolean }

// Where the queue is read. A flag always wins, then AWS_ENDPOINT_URL; for a stack on this machine
// the embedded emulator's port is assumed (EMULATOR_PORT from .env); otherwise undefined, which
// means AWS itself with the standard credentials.
export function queueEndpoint(flags: QueueFlags, env: NodeJS.ProcessEnv, local = true) {
  if (flags.aws) return undefined
  if (flags.endpoint) return flags.endpoint
  if (env.AWS_ENDPOINT_URL) return env.AWS_ENDPOINT_URL
  return local ? `http://127.0.0.1:${env.EMULATOR_PORT || 4566}` : undefined
}

// Without an endpoint the SDK's standard credential chain applies, exactly as for the services.
export function sqsClientFor(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env) {
  // The SDK also reads AWS_ENDPOINT_URL from the environment itself: "use AWS" must remove it.
  if (!endpoint) delete env.AWS_ENDPOINT_URL
  return awsClients(endpoint ? { ...env, AWS_ENDPOINT_URL: endpoint } : env).sqs
}

export function describeTarget(endpoint: string | undefined): string {
  return endpoint ?? `AWS (${process.env.AWS_REGION || 'us-east-1'})`
}
