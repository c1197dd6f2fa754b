import { checkCompose, checkEngine } from '@orders/stack/docker-engine'

// `make test-containers` starts here: one clear line, not a wall of failed tests, when no engine
// answers or the engine or compose is older than the stack's minimums.
const engine = await checkEngine()
const compose = engine.problem === undefined ? await checkCompose() : engine
const problem = engine.problem ?? compose.problem
if (problem !== undefined) {
  console.error(
    `make test-containers: ${problem}; .ci/containers.sh (root, Debian) prepares Docker for it`,
  )
  process.exit(1)
}
console.log(
  `make test-containers: Docker Engine ${engine.version}, Compose ${compose.version}, base image ${process.env.NODE_IMAGE || 'node:24-alpine'}`,
)
