import { fileURLToPath } from 'node:url'
import dotenv from 'dotenv'

// The stack's commands run from any folder (npm scripts, make, a test's child process) and all
// read the repository's one .env; variables already set in the environment win.
export function loadDotenv(): void {
  dotenv.config({ path: fileURLToPath(new URL('../../.env', import.meta.url)), quiet: true })
}
