import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { vi } from 'vitest'
import type { CommandOptions } from '../src/stack-commands.ts'
import { fakeDocker, type Machine } from './fake-docker.ts'

type Command = (env: NodeJS.ProcessEnv, options?: CommandOptions) => Promise<number>

// Runs the stack's commands as `npm run <command>` does, on a machine the fake docker plays, in a
// copy of the repository's compose files beside a .env of the test's own (the repository's .env,
// which a developer may have, is never read). The embedded stack is counted, not started.
export function stackRunner() {
  const docker = fakeDocker()
  const repo = mkdtempSync(join(tmpdir(), 'stack-repo-'))
  for (const file of ['docker-compose.yml', 'docker-compose.fauxqs.yml']) {
    copyFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), join(repo, file))
  }

  async function run(command: Command, machine: Machine, env: Record<string, string> = {}) {
    docker.reset()
    const stdout: string[] = []
    const stderr: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((line) => stdout.push(String(line)))
    const error = vi.spyOn(console, 'error').mockImplementation((line) => stderr.push(String(line)))
    let embeddedStarts = 0
    try {
      const status = await command(docker.env(machine, env), {
        root: repo,
        startEmbedded: async () => {
          embeddedStarts += 1
        },
      })
      // What the user reads on each stream, and what was asked of Docker.
      const [out, err] = [stdout.join('\n'), stderr.join('\n')]
      return { status, stdout: out, stderr: err, calls: docker.calls(), embeddedStarts }
    } finally {
      log.mockRestore()
      error.mockRestore()
    }
  }

  return {
    run,
    dotenv: (text: string) => writeFileSync(join(repo, '.env'), text),
    noDotenv: () => rmSync(join(repo, '.env'), { force: true }),
    remove: () => {
      docker.remove()
      rmSync(repo, { recursive: true, force: true })
    },
  }
}
