import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startProcess } from '../src/children.ts'
import { freePort } from '../src/ports.ts'
import { fakeDocker } from './fake-docker.ts'

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))
const { scripts } = JSON.parse(readFileSync(repo('package.json'), 'utf8')) as {
  scripts: Record<string, string>
}
// `npm run up` exactly as package.json has it: `node <script> up`.
const [, upScript = '', ...upArgs] = (scripts.up ?? '').split(' ')

// `npm run up` for real, on a machine where make up picks the embedded stack: a docker whose
// engine never answers comes first on PATH, even where a developer's engine runs. The caller
// removes that docker (remove()) when its tests are done.
export function embeddedStacks() {
  const docker = fakeDocker()

  function startStack(ports: Record<string, number>, extra: Record<string, string> = {}) {
    const env = {
      PATH: `${docker.bin}:${process.env.PATH}`,
      // Set, so that a developer's .env cannot choose another stack or processor for the test.
      STACK: '',
      PROCESSOR: 'ecs',
      PROCESSING_TIME_MS: '300',
      ...extra,
    }
    for (const [name, port] of Object.entries(ports)) Object.assign(env, { [name]: String(port) })
    const lines: string[] = []
    const stack = startProcess('stack', repo(upScript), env, (line) => lines.push(line), upArgs)
    return { ...stack, output: () => lines.join('\n') }
  }

  return { startStack, remove: docker.remove }
}

// Every host port the embedded stack takes, free ones, so the test never meets a developer's stack.
export async function freePorts() {
  return {
    EMULATOR_PORT: await freePort(),
    DYNAMODB_PORT: await freePort(),
    RECEIVER_PORT: await freePort(),
    PROCESSOR_PORT: await freePort(),
    RECEIVER_METRICS_PORT: await freePort(),
    PROCESSOR_METRICS_PORT: await freePort(),
  }
}
