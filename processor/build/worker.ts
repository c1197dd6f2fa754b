import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleForNode } from './bundle.ts'

// The folder the processor image runs from (processor/Dockerfile).
export const WORKER_OUT_DIR = fileURLToPath(new URL('../dist/worker', import.meta.url))
const ENTRY = fileURLToPath(new URL('../src/worker/server.ts', import.meta.url))

// A worker entry as one ES module of plain JavaScript. Run from its TypeScript sources, Node
// strips the types of every module at each start and keeps the memory it took for that
// (docs/benchmarks.md, "Processor"). Names stay as written, so a logged stack trace still
// reads as the sources do. The benchmark bundles each of its rows this way too.
export async function bundleWorker(entry: string, file: string): Promise<void> {
  await bundleForNode(entry, file, { minifyWhitespace: true, minifySyntax: true })
}

export async function buildWorker(
  outdir = WORKER_OUT_DIR,
): Promise<{ file: string; bytes: number }> {
  const file = join(outdir, 'server.mjs')
  await bundleWorker(ENTRY, file)
  return { file, bytes: (await stat(file)).size }
}

if (import.meta.main) {
  const bundle = await buildWorker()
  console.log(`${bundle.file}: ${(bundle.bytes / 1024).toFixed(1)} KiB`)
}
