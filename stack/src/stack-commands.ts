import { ConfigError } from '@orders/service/config'
import { composeDown, composeLogs, composePs, composeUp } from './compose.ts'
import { composeUnreachable } from './docker-engine.ts'
import { loadDotenv, repoRoot } from './dotenv.ts'
import { startEmbeddedStack } from './embedded-stack.ts'
import { planUp, runningStack } from './stack-choice.ts'
import { embeddedStatus, stopEmbeddedStack } from './stack-pid.ts'
import { type StackSettings, stackSettings } from './stack-settings.ts'

// `make up | down | logs | ps`. Each reads .env from root into env (the shell wins) and resolves
// to the exit status. root and startEmbedded are seams: a test runs a command against a copy of
// the repository, and sees that the embedded stack would start without starting it.
export type CommandOptions = {
  root?: string
  startEmbedded?: (env: NodeJS.ProcessEnv) => Promise<void>
}

// The compose stack when Docker can run it, the embedded stack otherwise; one line says which, and
// why. The embedded stack keeps running after this resolves, until Ctrl-C or `make down`.
export async function up(env: NodeJS.ProcessEnv, options: CommandOptions = {}): Promise<number> {
  const { root = repoRoot, startEmbedded = startEmbeddedStack } = options
  const settings = readSettings(env, root)
  if (settings === undefined) return 2
  const plan = await planUp(settings, env, root)
  if (plan.refusal !== undefined) {
    console.error(plan.refusal)
    return 1
  }
  console.log(plan.line)
  if (plan.stack === 'compose') return composeUp(settings.emulator, { env, root })
  await startEmbedded(env)
  return 0
}

// Stops whichever is running; both may be, if a developer used each in turn.
export async function down(env: NodeJS.ProcessEnv, options: CommandOptions = {}) {
  const { root = repoRoot } = options
  const settings = readSettings(env, root)
  if (settings === undefined) return 2
  if (settings.stack !== 'embedded') {
    if ((await composeUnreachable(env)) === undefined) {
      const code = await composeDown({ env, root })
      if (code !== 0) return code
    } else {
      console.log(
        'compose stack: no Docker engine or compose plugin answers; nothing to stop there',
      )
    }
  }
  return settings.stack === 'compose' ? 0 : stopEmbeddedStack()
}

export async function logs(env: NodeJS.ProcessEnv, options: CommandOptions = {}) {
  return onRunningStack(env, options, composeLogs, () =>
    console.log('The embedded stack logs to the terminal that runs `make up`.'),
  )
}

export async function ps(env: NodeJS.ProcessEnv, options: CommandOptions = {}) {
  return onRunningStack(env, options, composePs, () => console.log(embeddedStatus()))
}

async function onRunningStack(
  env: NodeJS.ProcessEnv,
  { root = repoRoot }: CommandOptions,
  onCompose: typeof composePs,
  onEmbedded: () => void,
): Promise<number> {
  const settings = readSettings(env, root)
  if (settings === undefined) return 2
  if ((await runningStack(settings, env)) === 'embedded') {
    onEmbedded()
    return 0
  }
  const unreachable = await composeUnreachable(env)
  if (unreachable !== undefined) {
    console.error(unreachable)
    return 1
  }
  return onCompose({ env, root })
}

function readSettings(env: NodeJS.ProcessEnv, root: string): StackSettings | undefined {
  loadDotenv(env, root)
  try {
    return stackSettings(env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(err.message)
    return undefined
  }
}
