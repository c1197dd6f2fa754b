import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const root = (path = '') => fileURLToPath(new URL(`../../${path}`, import.meta.url))

// What every build starts from: node:24-alpine, or the mirror or stand-in CI names.
export const nodeImage = process.env.NODE_IMAGE || 'node:24-alpine'

export type Run = { code: number; stdout: string; stderr: string }
type Options = { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }

// Runs a command to its end (or kills it at the timeout) and hands back its exit code and output.
export function run(command: string, args: string[], options: Options = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd ?? root(),
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        const killed = err?.killed ? `\n(killed after ${options.timeoutMs ?? 120_000} ms)` : ''
        resolve({ code, stdout, stderr: stderr + killed })
      },
    )
  })
}

// Like run, but a failure throws with the command and what it printed.
export async function ok(command: string, args: string[], options: Options = {}): Promise<string> {
  const result = await run(command, args, options)
  if (result.code !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n')
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${output}`)
  }
  return result.stdout
}

export const docker = (args: string[], options: Options = {}) => ok('docker', args, options)

export async function imageSize(image: string): Promise<number> {
  return Number((await docker(['image', 'inspect', '--format', '{{.Size}}', image])).trim())
}

export async function healthOf(container: string): Promise<string> {
  const result = await run('docker', ['inspect', '--format', '{{.State.Health.Status}}', container])
  return result.stdout.trim()
}

// Whether an image is here or can be pulled; when not, why, in a few words.
export async function imageAvailable(image: string): Promise<string | undefined> {
  if ((await run('docker', ['image', 'inspect', image])).code === 0) return undefined
  const pull = await run('docker', ['pull', '-q', image], { timeoutMs: 600_000 })
  if (pull.code === 0) return undefined
  return `${image} is not here and \`docker pull\` failed: ${pull.stderr.trim().split('\n').at(-1)}`
}
