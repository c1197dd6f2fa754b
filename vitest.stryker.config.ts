import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The tests that exercise the mutated modules in process (stryker.config.json): no test that
// starts a service as a child process, whose code Stryker cannot see, and none of the other rooms.
const include = [
  'order/test/**/*.test.ts',
  'processor/test/core/**/*.test.ts',
  'processor/test/worker/**/*.test.ts',
  'processor/test/lambda/sns-handler.test.ts',
  'receiver/test/**/*.test.ts',
  'store/test/**/*.test.ts',
]
const exclude = [
  'processor/test/worker/shutdown.test.ts',
  'processor/test/worker/runtime-files.test.ts',
  'processor/test/worker/config.test.ts',
  'processor/test/worker/replicas.test.ts',
  'receiver/test/config.test.ts',
  'receiver/test/drain.test.ts',
  'receiver/test/endpoints.test.ts',
  'receiver/test/keep-alive.test.ts',
  'receiver/test/server-limits.test.ts',
  'receiver/test/shutdown.test.ts',
]

// Stryker copies the repository into a sandbox but links node_modules, whose @orders/* links
// point back at the unmutated workspaces. Each package export is aliased to its file in this
// copy instead, so a test that imports `@orders/order/order` sees the mutant too.
const workspaces = ['order', 'service', 'store', 'receiver', 'processor', 'stack']
const aliases = workspaces.flatMap((dir) => {
  const root = new URL(`./${dir}/`, import.meta.url)
  const { name, exports } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    name: string
    exports: Record<string, string>
  }
  return Object.entries(exports).map(([subpath, file]) => ({
    find: new RegExp(`^${name}${subpath.slice(1)}$`),
    replacement: fileURLToPath(new URL(file, root)),
  }))
})

export default defineConfig({
  resolve: { alias: aliases },
  test: {
    include,
    exclude,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
