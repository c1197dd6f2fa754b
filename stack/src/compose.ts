import { spawn } from 'node:child_process'
import { docker } from './docker-engine.ts'
import { curlExamples } from './examples.ts'
import type { Emulator } from './stack-settings.ts'

// The files a user runs, relative to the repository root, which is where compose runs.
const files: Record<Emulator, string[]> = {
  localstack: ['-f', 'docker-compose.yml'],
  fauxqs: ['-f', 'docker-compose.yml', '-f', 'docker-compose.fauxqs.yml'],
}
// Every service of either emulator, for commands that must find whichever one is up.
const anyEmulator = [...files.fauxqs, '--profile', 'localstack']

export type ComposeWhere = { env: NodeJS.ProcessEnv; root: string }

// docker compose in the foreground, its output the user's; resolves to its exit code.
function compose(args: string[], { env, root }: ComposeWhere): Promise<number> {
  const child = spawn('docker', ['compose', ...args], { env, cwd: root, stdio: 'inherit' })
  return new Promise((resolve) => {
    child.once('error', () => resolve(127))
    child.once('exit', (code) => resolve(code ?? 1))
  })
}

export async function composeUp(emulator: Emulator, where: ComposeWhere): Promise<number> {
  const code = await compose([...files[emulator], 'up', '--build', '--wait', '--detach'], where)
  if (code !== 0) return code
  const port = async (service: string, containerPort: number) => {
    const args = ['compose', ...files[emulator], 'port', service, String(containerPort)]
    return (await docker(args, where.env, { cwd: where.root })).stdout
  }
  const receiver = await port('receiver', 8080)
  console.log(
    [
      '',
      `Stack is up: receiver http://${receiver}, ${emulator} http://${await port(emulator, 4566)}`,
      // The processor's metrics host port is picked per replica.
      `Metrics: receiver http://${await port('receiver', 9080)}/metrics, processor http://${await port('processor', 9081)}/metrics`,
      'Try:',
      ...curlExamples(`http://${receiver}`).map((line) => `  ${line}`),
      'Logs: make logs (docker compose logs -f). More processors: docker compose up -d --scale processor=3',
      'Stop: make down',
    ].join('\n'),
  )
  return 0
}

// Either emulator goes, and so do the anonymous volumes LocalStack makes.
export function composeDown(where: ComposeWhere): Promise<number> {
  return compose([...anyEmulator, 'down', '--volumes', '--remove-orphans'], where)
}

export function composeLogs(where: ComposeWhere): Promise<number> {
  return compose([...anyEmulator, 'logs', '--follow'], where)
}

export function composePs(where: ComposeWhere): Promise<number> {
  return compose([...anyEmulator, 'ps'], where)
}
