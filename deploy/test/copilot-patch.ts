import { z } from 'zod'
import { readYaml } from './copilot.ts'

// A cfn.patches.yml as Copilot v1.34.1 reads it (internal/pkg/override/patch.go): a list of RFC 6902
// operations, of which it runs only add, remove and replace, and add/replace need a value. Strict
// objects, because Copilot silently ignores a misspelt key such as `values`.
const patch = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('replace'), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('remove'), path: z.string() }),
])
export const patchFile = z.array(
  patch
    .refine((p) => p.path.startsWith('/'), 'a JSON pointer starts with /')
    .refine(
      (p) => p.op === 'remove' || ('value' in p && p.value != null),
      'add and replace need a value',
    ),
)
export type Patch = z.infer<typeof patch>

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function tokens(path: string) {
  return path
    .split('/')
    .slice(1)
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

// Array index the way patch.go checks it: digits only, at most `last`.
function index(token: string, last: number, at: string) {
  const i = /^\d+$/.test(token) ? Number(token) : Number.NaN
  if (!(i <= last)) throw new Error(`${at}: no index ${token} in a sequence of ${last} or fewer`)
  return i
}

function walk(root: unknown, path: string[]) {
  let node = root
  path.forEach((token, depth) => {
    const at = `/${path.slice(0, depth).join('/')}`
    if (Array.isArray(node)) node = node[index(token, node.length - 1, at)]
    else if (isMap(node) && token in node) node = node[token]
    else throw new Error(`${at}: key "${token}" not found`)
  })
  return node
}

// Applies patches in order, failing where Copilot fails: replace and remove need their target,
// add needs the target's parent (and replaces a key that is already there).
export function applyPatches(template: unknown, patches: Patch[]) {
  const doc = structuredClone(template)
  for (const p of patches) {
    const path = tokens(p.path)
    const key = path.at(-1) ?? ''
    const parent = walk(doc, path.slice(0, -1))
    if (p.op !== 'add') walk(doc, path)
    if (Array.isArray(parent)) {
      const at = key === '-' && p.op === 'add' ? parent.length : index(key, parent.length, p.path)
      if (p.op === 'add') parent.splice(at, 0, p.value)
      else if (p.op === 'replace') parent[at] = p.value
      else parent.splice(at, 1)
    } else if (!isMap(parent)) throw new Error(`${p.path}: the parent is a scalar`)
    else if (p.op === 'remove') delete parent[key]
    else parent[key] = p.value
  }
  return doc
}

export function readPatches(path: string) {
  return patchFile.parse(readYaml(path))
}

const template = z.object({
  Resources: z.record(
    z.string(),
    z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional() }),
  ),
})

// Each stack's patch file and the template Copilot v1.34.1 renders for it (cut down to what the
// patches touch; each fixture names its source).
export const stacks = {
  environment: {
    patches: 'copilot/environments/overrides/cfn.patches.yml',
    fixture: 'deploy/test/fixtures/copilot-1.34.1/environment.yml',
  },
  receiver: {
    patches: 'copilot/receiver/overrides/cfn.patches.yml',
    fixture: 'deploy/test/fixtures/copilot-1.34.1/receiver.yml',
  },
  processor: {
    patches: 'copilot/processor/overrides/cfn.patches.yml',
    fixture: 'deploy/test/fixtures/copilot-1.34.1/processor.yml',
  },
} as const

export const renderedTemplate = (stack: keyof typeof stacks) =>
  template.parse(readYaml(stacks[stack].fixture))

export const patchedTemplate = (
  stack: keyof typeof stacks,
  patches = readPatches(stacks[stack].patches),
) => template.parse(applyPatches(renderedTemplate(stack), patches))
