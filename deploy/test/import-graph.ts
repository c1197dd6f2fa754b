import { readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

type PackageJson = { name?: string; workspaces?: string[]; exports?: Record<string, string> }
const packageJson = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))

// Every workspace by package name: @orders/store -> store.
const workspaces = new Map(
  (packageJson('').workspaces ?? []).map((dir) => [packageJson(dir).name ?? dir, dir] as const),
)

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`; a type-only import or
// export is erased before node runs the file, so it loads nothing.
const specifiers = (source: string) =>
  [
    ...source.matchAll(/^\s*(?:import|export)\s+(type\s)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*import\s*()['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*()['"]([^'"]+)['"]\s*\)/g),
  ]
    .filter(([, typeOnly]) => !typeOnly)
    .map(([, , specifier]) => specifier ?? '')

// A specifier as node resolves it from `from`, as a path in the repository; undefined for node's
// own modules and packages from the registry, which npm installs in the image.
function resolve(specifier: string, from: string): string | undefined {
  if (specifier.startsWith('.')) return relative(root, join(root, dirname(from), specifier))
  const [scope, name, ...rest] = specifier.split('/')
  const dir = workspaces.get(`${scope}/${name}`)
  if (dir === undefined) return undefined
  const target = packageJson(dir).exports?.[rest.length === 0 ? '.' : `./${rest.join('/')}`]
  if (target === undefined) throw new Error(`${from}: ${specifier} is not exported`)
  return join(dir, target)
}

// The repository's files that node loads to run `entry` (a path from the repository root), the
// entry itself included.
export function runtimeSources(entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const specifier of specifiers(readFileSync(join(root, file), 'utf8'))) {
      const target = resolve(specifier, file)
      if (target?.endsWith('.ts')) visit(target)
    }
  }
  visit(entry)
  return [...seen].sort()
}

// The workspace folder a repository path belongs to.
export function workspaceOf(path: string): string | undefined {
  return [...workspaces.values()]
    .filter((dir) => path.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length)[0]
}
