import { stat } from 'node:fs/promises'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'

// The folder the Copilot addon's `Code` names: Copilot zips it on deploy.
export const LAMBDA_OUT_DIR = fileURLToPath(new URL('../dist/lambda', import.meta.url))
const ENTRY = fileURLToPath(new URL('../src/lambda/entry.ts', import.meta.url))

// zod's `z` namespace re-exports all of its ~60 locales, more than half of the bundle, though
// only English, its default, is ever used. The namespace keeps English alone.
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, ({ importer }) =>
      importer.includes(`${sep}zod${sep}`)
        ? { path: join(dirname(importer), '../locales/en.js') }
        : undefined,
    )
  },
}

export type LambdaBundle = { file: string; bytes: number; mapBytes: number }

// One ES module for the nodejs24.x runtime. pino is CommonJS and requires Node built-ins, which an
// ES module bundle can only do through a require made by createRequire.
export async function buildLambda(outdir = LAMBDA_OUT_DIR): Promise<LambdaBundle> {
  const file = join(outdir, 'index.mjs')
  await build({
    entryPoints: [ENTRY],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: true,
    // Stack traces map back to the TypeScript when the function runs with --enable-source-maps;
    // the sources themselves stay out of the map, which keeps the upload small.
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    banner: {
      js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
    },
    plugins: [zodEnglishOnly],
    logLevel: 'warning',
  })
  const [code, map] = await Promise.all([stat(file), stat(`${file}.map`)])
  return { file, bytes: code.size, mapBytes: map.size }
}

if (import.meta.main) {
  const bundle = await buildLambda()
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
  console.log(`${bundle.file}: ${kib(bundle.bytes)} (source map ${kib(bundle.mapBytes)})`)
}
