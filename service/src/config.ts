import { z } from 'zod'

// Thrown for a bad environment; its message is one line naming every variable that is wrong, so
// a service, a stack tool or a Lambda init error says what to fix and nothing else.
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`).join('; ')
}

export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  who: string,
): z.output<S> {
  const result = schema.safeParse(env)
  if (result.success) return result.data
  throw new ConfigError(`${who}: invalid configuration: ${describeIssues(result.error.issues)}`)
}

// For a process's entry point: the one line on stderr and exit 1, never a stack trace.
export function parseEnvOrExit<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  who: string,
): z.output<S> {
  return orExit(() => parseEnv(schema, env, who))
}

export function orExit<T>(read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(err.message)
    process.exit(1)
  }
}

export const port = z.coerce.number().int().min(0).max(65_535)

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info')
