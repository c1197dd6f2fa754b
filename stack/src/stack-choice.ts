import { composeUnreachable, dockerProblem } from './docker-engine.ts'
import { imageProblem, neededImages } from './images.ts'
import type { StackSettings } from './stack-settings.ts'

// What `make up` does here, with the one line that tells the user which stack and why; or, when
// what was asked cannot be done, the refusal to print instead of starting anything.
export type UpPlan =
  | { stack: 'compose' | 'embedded'; line: string; refusal?: never }
  | { stack?: never; line?: never; refusal: string }

export async function planUp(
  settings: StackSettings,
  env: NodeJS.ProcessEnv,
  root: string,
): Promise<UpPlan> {
  // The Lambda handler behind an emulation of its delivery exists only in the embedded stack.
  if (settings.processor === 'lambda') {
    if (settings.stack === 'compose') {
      return { refusal: 'make up STACK=compose: PROCESSOR=lambda runs only in the embedded stack.' }
    }
    // STACK=compose is refused with PROCESSOR=lambda, so the line must not offer it.
    return embedded('as PROCESSOR=lambda needs', ' PROCESSOR=ecs runs the worker, in either stack.')
  }
  if (settings.stack === 'embedded') return embedded('as STACK=embedded asks')
  const why = await composeBlocker(settings, env, root)
  if (why === undefined) {
    return {
      stack: 'compose',
      line: `make up: Docker Compose stack (${settings.emulator}, receiver, processor). STACK=embedded forces the embedded one.`,
    }
  }
  if (settings.stack === 'compose') {
    return { refusal: `make up STACK=compose: cannot start the compose stack: ${why}.` }
  }
  return embedded(`because ${why}`)
}

// The second part tells the way to the compose stack from here, where there is one.
function embedded(why: string, way = ' STACK=compose forces Docker.'): UpPlan {
  return {
    stack: 'embedded',
    line: `make up: embedded stack (fauxqs in one Node process, no Docker), ${why}.${way}`,
  }
}

// Why compose cannot start the stack here, in one line; nothing when it can.
export async function composeBlocker(
  settings: StackSettings,
  env: NodeJS.ProcessEnv,
  root: string,
): Promise<string | undefined> {
  return (
    (await dockerProblem(env)) ??
    (await imageProblem(neededImages(settings.emulator, settings.nodeImage, root), env))
  )
}

// The stack `make logs` and `make ps` look at: the one asked for, else compose whenever an engine
// and the plugin answer (a stack may be up there even where a new one could not start).
export async function runningStack(
  settings: StackSettings,
  env: NodeJS.ProcessEnv,
): Promise<'compose' | 'embedded'> {
  if (settings.stack !== undefined) return settings.stack
  return (await composeUnreachable(env)) === undefined ? 'compose' : 'embedded'
}
