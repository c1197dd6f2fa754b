import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import dotenv from 'dotenv'

// Where the stack's commands find .env and the compose files, from whatever folder they run in
// (npm scripts, make, a test's child process).
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

// Every command reads the repository's one .env; variables already set in the environment win.
// A test hands in an environment of its own and a copy of the repository holding its own .env.
export function loadDotenv(env: NodeJS.ProcessEnv = process.env, root = repoRoot): void {
  dotenv.config({ path: join(root, '.env'), processEnv: env, quiet: true })
}
