import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

// What the fake docker plays: FAKE_ENGINE is the server version (empty: no engine answers),
// FAKE_COMPOSE the compose plugin's (empty: no plugin), FAKE_IMAGES the images already here.
export type Machine = { FAKE_ENGINE?: string; FAKE_COMPOSE?: string; FAKE_IMAGES?: string }

export const modern = {
  FAKE_ENGINE: '28.2.2',
  FAKE_COMPOSE: '2.26.1',
  FAKE_IMAGES: 'node:24-alpine',
} satisfies Machine
// A machine with every image the LocalStack compose stack needs already here.
export const ready = { ...modern, FAKE_IMAGES: 'node:24-alpine localstack/localstack:4.14.0' }

// A real docker process on PATH that plays a given machine. Pulls always fail, as offline. It
// records every call, one line each, so a test sees what was asked of Docker.
export function fakeDocker() {
  const bin = mkdtempSync(join(tmpdir(), 'fake-docker-'))
  const log = join(bin, 'calls.log')
  writeFileSync(
    join(bin, 'docker'),
    `#!/bin/sh
echo "docker $*" >> "${log}"
case "$1" in
  info) [ -n "$FAKE_ENGINE" ] ;;
  version) [ -n "$FAKE_ENGINE" ] && echo "$FAKE_ENGINE" ;;
  image) for image in $FAKE_IMAGES; do [ "$image" = "$3" ] && exit 0; done; exit 1 ;;
  pull) echo "Error response from daemon: Get \\"https://registry/v2/\\": no such host" >&2; exit 1 ;;
  compose)
    [ -n "$FAKE_COMPOSE" ] || { echo "docker: 'compose' is not a docker command." >&2; exit 1; }
    case "$*" in
      *"version --short"*) echo "$FAKE_COMPOSE" ;;
      *" port "*) echo "127.0.0.1:18080" ;;
    esac ;;
esac
`,
  )
  chmodSync(join(bin, 'docker'), 0o755)

  return {
    bin,
    // Only this docker, Node and the basic tools on PATH; nothing from the caller's shell.
    env(machine: Machine, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
      const path = `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`
      return {
        PATH: path,
        FAKE_ENGINE: '',
        FAKE_COMPOSE: '',
        FAKE_IMAGES: '',
        ...machine,
        ...extra,
      }
    },
    calls(): string {
      try {
        return readFileSync(log, 'utf8')
      } catch {
        return ''
      }
    },
    reset: () => rmSync(log, { force: true }),
    remove: () => rmSync(bin, { recursive: true, force: true }),
  }
}
