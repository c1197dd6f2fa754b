import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleForNode } from './bundle.ts'

// The folder the Copilot addon's `Code` names: Copilot zips it on deploy.
export const LAMBDA_OUT_DIR = fileURLToPath(new URL('../dist/lambda', import.meta.url))
const ENTRY = fileURLToPath(new URL('../src/lambda/entry.ts', import.meta.url))

export type LambdaBundle = { file: string; bytes: number; mapBytes: number }

// One ES module for the nodejs24.x runtime, minified: the upload and the cold start are smaller.
export async function buildLambda(outdir = LAMBDA_OUT_DIR): Promise<LambdaBundle> {
  const file = join(outdir, 'index.mjs')
  await bundleForNode(ENTRY, file, {
    minify: true,
    // Stack traces map back to the TypeScript when the function runs with --enable-source-maps;
    // the sources themselves stay out of the map, which keeps the upload small.
    sourcemap: true,
    sourcesContent: false,
  })
  const [code, map] = await Promise.all([stat(file), stat(`${file}.map`)])
  return { file, bytes: code.size, mapBytes: map.size }
}

if (import.meta.main) {
  const bundle = await buildLambda()
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
  console.log(`${bundle.file}: ${kib(bundle.bytes)} (source map ${kib(bundle.mapBytes)})`)
}
