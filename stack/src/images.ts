import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { docker } from './docker-engine.ts'
import type { Emulator } from './stack-settings.ts'

// Images compose would pull: the base of the built ones, and LocalStack's unless fauxqs replaces it.
export function neededImages(emulator: Emulator, nodeImage: string, root: string): string[] {
  if (emulator === 'fauxqs') return [nodeImage]
  const file = readFileSync(join(root, 'docker-compose.yml'), 'utf8')
  const pulled = [...file.matchAll(/^\s*image:\s*([^\s#]+)/gm)].flatMap((match) => match[1] ?? [])
  return [nodeImage, ...pulled]
}

// Why compose could not have an image, in one line; nothing when every one is here or pulled.
export async function imageProblem(
  images: string[],
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  for (const image of images) {
    if (!(await imageAvailable(image, env))) {
      return `image ${image} is not here and cannot be pulled (offline, or no registry access)`
    }
  }
  return undefined
}

async function imageAvailable(image: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  if ((await docker(['image', 'inspect', image], env)).ok) return true
  console.error(`pulling ${image} ...`)
  // Progress shows on stderr; a failure is told once, in the caller's one-line reason, not in the
  // daemon's words.
  const pull = spawn('docker', ['pull', image], { env, stdio: ['ignore', 2, 'ignore'] })
  return new Promise((resolve) => {
    pull.once('error', () => resolve(false))
    pull.once('exit', (code) => resolve(code === 0))
  })
}
