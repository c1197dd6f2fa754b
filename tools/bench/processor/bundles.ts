import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleWorker } from '@orders/processor/worker-build'

export type Bundles<K extends string> = { files: Record<K, string>; remove: () => void }

// Every row's server bundled as the processor image bundles the worker, so that each row runs
// what a task runs, and no row pays for its TypeScript sources while another does not.
export async function bundleServers<K extends string>(
  entries: Record<K, string>,
): Promise<Bundles<K>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-processor-'))
  const named = Object.entries(entries) as Array<[K, string]>
  const files = Object.fromEntries(
    named.map(([name]) => [name, join(dir, `${name}.mjs`)]),
  ) as Record<K, string>
  await Promise.all(named.map(([name, entry]) => bundleWorker(entry, files[name])))
  return { files, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
