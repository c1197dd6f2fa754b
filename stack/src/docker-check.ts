import { checkCompose, checkEngine } from './docker-engine.ts'

// For machine provisioning in bash (.ci/containers.sh), which keeps no Docker minimum of its own:
//   node stack/src/docker-check.ts engine|compose
// prints the version and exits 0 when that part is here and new enough; otherwise prints why on
// stderr and exits 1. It imports nothing outside Node, so it runs before `npm ci` too.
const checks = { engine: checkEngine, compose: checkCompose }
const part = process.argv[2]

if (part !== 'engine' && part !== 'compose') {
  console.error('usage: node stack/src/docker-check.ts engine|compose')
  process.exit(2)
}
const { version, problem } = await checks[part](process.env)
if (problem !== undefined) {
  console.error(problem)
  process.exit(1)
}
console.log(version)
