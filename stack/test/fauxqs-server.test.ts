import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { clientsFor, topologySnapshot } from '@orders/stack/topology-snapshot'
import { describe, expect, it } from 'vitest'
import { startProcess } from '../src/children.ts'
import { startEmulator } from '../src/emulator.ts'
import { freePort } from '../src/ports.ts'
import { provision } from '../src/provision.ts'
import { topology } from '../src/topology.ts'

const server = fileURLToPath(new URL('../src/fauxqs-server.ts', import.meta.url))

// The fauxqs image's entry point, run as the image runs it but on the host's loopback and a free
// port, against a reference emulator provisioned by provision() itself.
describe('fauxqs-server.ts (the compose stack emulator)', () => {
  it('when it starts, then it provisions the declared topology before it reports ready, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fauxqs-server-'))
    const readyFile = join(dir, 'ready')
    // A file left by an earlier run of the container must not pass for this one's readiness.
    writeFileSync(readyFile, 'stale')
    const port = await freePort()
    const lines: string[] = []
    const child = startProcess(
      'fauxqs',
      server,
      {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        PORT: String(port),
        DYNAMODB_PORT: String(await freePort()),
        READY_FILE: readyFile,
      },
      (line) => lines.push(line),
    )
    const reference = await startEmulator(0)
    const clients = clientsFor(reference.endpoint)
    try {
      await expect
        .poll(() => (existsSync(readyFile) ? readFileSync(readyFile, 'utf8') : ''), {
          timeout: 15_000,
        })
        .toContain('"tableArn"')
      expect(lines.join('\n')).toContain('"msg":"topology ready"')

      await provision(clients)
      const [served, expected] = await Promise.all([
        topologySnapshot(`http://127.0.0.1:${port}`),
        topologySnapshot(reference.endpoint),
      ])
      expect(expected.topics).toEqual([topology.topicName])
      expect(served).toEqual(expected)
    } finally {
      clients.sns.destroy()
      clients.sqs.destroy()
      await reference.stop()
      child.process.kill('SIGTERM')
    }
    expect(await child.exited, lines.join('\n')).toBe(0)
    expect(existsSync(readyFile)).toBe(false)
    rmSync(dir, { recursive: true, force: true })
  })
})
