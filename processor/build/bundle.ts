import { dirname, join, sep } from 'node:path'
import { type BuildOptions, build, type Plugin } from 'esbuild'

// zod's `z` namespace re-exports all of its ~60 locales, more than half of a bundle, though only
// English, its default, is ever used. The namespace keeps English alone.
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

// One ES module holding an entry and everything it imports, for Node 24: the Lambda function and
// the worker's image both run one. pino and the SDK are CommonJS and require Node built-ins, which
// an ES module bundle can only do through a require made by createRequire.
export async function bundleForNode(
  entry: string,
  outfile: string,
  options: BuildOptions = {},
): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    legalComments: 'none',
    banner: {
      js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
    },
    plugins: [zodEnglishOnly],
    logLevel: 'warning',
    ...options,
  })
}
