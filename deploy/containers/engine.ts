import { run } from './docker.ts'

// `make test-containers` starts here: one clear line, not a wall of failed tests, when no engine
// answers or compose v2 is missing.
const engine = await run('docker', ['version', '--format', '{{.Server.Version}}'], {
  timeoutMs: 20_000,
})
if (engine.code !== 0 || engine.stdout.trim() === '') {
  const why = (engine.stderr.trim().split('\n').at(-1) ?? '') || 'no docker command'
  console.error(
    `make test-containers: no Docker engine answers (${why}); start one, or run scripts/ci-containers.sh as root`,
  )
  process.exit(1)
}
const compose = await run('docker', ['compose', 'version', '--short'], { timeoutMs: 20_000 })
if (compose.code !== 0) {
  console.error(
    'make test-containers: the Docker Compose v2 plugin is missing (`docker compose version` failed); scripts/ci-containers.sh installs it',
  )
  process.exit(1)
}
console.log(
  `make test-containers: Docker Engine ${engine.stdout.trim()}, Compose ${compose.stdout.trim()}, base image ${process.env.NODE_IMAGE || 'node:24-alpine'}`,
)
