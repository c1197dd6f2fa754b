import { execFile } from 'node:child_process'

// The one home of the Docker minimums. The engine: the oldest the compose files are tested on
// (Debian 12's docker.io). Compose: the first that reads env_file.required and the !override tag
// of docker-compose.fauxqs.yml. `make up`, the `make test-containers` pre-check and CI's Docker
// preparation (through docker-check.ts) all ask this module rather than keep a copy.
export const ENGINE_MIN = '20.10'
export const COMPOSE_MIN = '2.24.4'

export type DockerRun = { ok: boolean; stdout: string; missing: boolean }
type RunOptions = { cwd?: string; timeoutMs?: number }

// Runs docker to its end with the caller's environment, whose PATH says which docker answers.
// A hung engine must not hang `make up`, so every question has a deadline.
export function docker(
  args: string[],
  env: NodeJS.ProcessEnv,
  { cwd, timeoutMs = 30_000 }: RunOptions = {},
): Promise<DockerRun> {
  return new Promise((resolve) => {
    execFile('docker', args, { env, cwd, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout) => {
      const missing = (err as NodeJS.ErrnoException | null)?.code === 'ENOENT'
      resolve({ ok: err === null, stdout: stdout.trim(), missing })
    })
  })
}

// Compares the leading dotted numbers only: distribution suffixes (24.0.7+dfsg1, 2.26.1-4) and
// a leading v say nothing about what the version can do.
export function olderThan(version: string, min: string): boolean {
  const numbers = (v: string) => (v.match(/\d+(\.\d+)*/)?.[0] ?? '0').split('.').map(Number)
  const [have, want] = [numbers(version), numbers(min)]
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    const difference = (have[i] ?? 0) - (want[i] ?? 0)
    if (difference !== 0) return difference < 0
  }
  return false
}

// A version that meets its minimum, or why there is none, in words a user can act on.
export type Checked = { version: string; problem?: never } | { version?: never; problem: string }

const noDocker = { problem: 'there is no docker command' }

export async function checkEngine(env: NodeJS.ProcessEnv = process.env): Promise<Checked> {
  const run = await docker(['version', '--format', '{{.Server.Version}}'], env)
  if (run.missing) return noDocker
  if (!run.ok || run.stdout === '') {
    return { problem: 'no Docker engine answers (`docker version` has no server)' }
  }
  if (olderThan(run.stdout, ENGINE_MIN)) {
    return { problem: `Docker Engine ${run.stdout} is older than ${ENGINE_MIN}` }
  }
  return { version: run.stdout }
}

export async function checkCompose(env: NodeJS.ProcessEnv = process.env): Promise<Checked> {
  const run = await docker(['compose', 'version', '--short'], env)
  if (run.missing) return noDocker
  const version = run.stdout.replace(/^v/, '')
  if (!run.ok || version === '') {
    return { problem: 'the Docker Compose v2 plugin is missing (`docker compose version` failed)' }
  }
  if (olderThan(version, COMPOSE_MIN)) {
    return { problem: `Docker Compose ${version} is older than ${COMPOSE_MIN}` }
  }
  return { version }
}

// Why Docker cannot run the compose files here, whatever the images; nothing when it can.
export async function dockerProblem(env: NodeJS.ProcessEnv = process.env) {
  return (await checkEngine(env)).problem ?? (await checkCompose(env)).problem
}

// Whether a compose stack can be stopped, listed or followed here: an engine and the plugin
// answer, whatever their versions. When not, what is missing, in one sentence.
export async function composeUnreachable(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!(await docker(['info'], env)).ok) {
    return 'The compose stack needs a Docker engine, and `docker info` got no answer.'
  }
  if (!(await docker(['compose', 'version'], env)).ok) {
    return 'The compose stack needs the Docker Compose plugin (`docker compose version` failed).'
  }
  return undefined
}
