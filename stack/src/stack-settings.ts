import { ConfigError } from '@orders/service/config'

export type Emulator = 'localstack' | 'fauxqs'

// What `make up | down | logs | ps` are asked for, from the shell or .env (the shell wins).
export type StackSettings = {
  // Unset: compose when Docker can run it, the embedded stack otherwise.
  stack: 'compose' | 'embedded' | undefined
  emulator: Emulator
  processor: 'ecs' | 'lambda'
  // The base image of the built services, as compose reads it.
  nodeImage: string
}

export function stackSettings(env: NodeJS.ProcessEnv): StackSettings {
  return {
    stack: env.STACK ? oneOf(env, 'STACK', ['compose', 'embedded']) : undefined,
    emulator: oneOf(env, 'EMULATOR', ['localstack', 'fauxqs']),
    processor: oneOf(env, 'PROCESSOR', ['ecs', 'lambda']),
    nodeImage: env.NODE_IMAGE || 'node:24-alpine',
  }
}

// The first value is the default; an empty variable counts as unset, as in the shell.
function oneOf<const T extends string>(env: NodeJS.ProcessEnv, name: string, values: T[]): T {
  const value = env[name] || values[0]
  const known = values.find((candidate) => candidate === value)
  if (known === undefined) {
    throw new ConfigError(`${name} must be ${values.join(' or ')}, not '${value}'`)
  }
  return known
}
