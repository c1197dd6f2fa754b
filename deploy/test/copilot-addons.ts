import { isDeepStrictEqual } from 'node:util'

// How Copilot v1.34.1 reads addon templates, ported from aws/copilot-cli at 4c858e7 so the tests
// can hold the templates to it without deploying them.

type Template = Record<string, unknown>
const isMap = (node: unknown): node is Record<string, unknown> =>
  typeof node === 'object' && node !== null && !Array.isArray(node)
const section = (template: Template, name: string) => {
  const found = template[name]
  return isMap(found) ? found : {}
}

// The environment variable Copilot names after a workload addon's output
// (internal/pkg/template/template_functions.go, ToSnakeCaseFunc, and the two regular expressions
// before it).
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9]+)([A-Z])/g, '$1_$2')
    .replace(/([A-Z0-9])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
}

export type OutputKind = 'policy' | 'secret' | 'variable'

// What Copilot does with each output of a workload addon (internal/pkg/addon/output.go): one that
// Refs an AWS::IAM::ManagedPolicy is attached to the task role, one that Refs an
// AWS::SecretsManager::Secret becomes a secret, and every other becomes an environment variable.
export function outputKinds(template: Template): Record<string, OutputKind> {
  const resources = section(template, 'Resources')
  const typeOf = (id: unknown) => {
    const resource = typeof id === 'string' ? resources[id] : undefined
    return isMap(resource) ? resource.Type : undefined
  }
  return Object.fromEntries(
    Object.entries(section(template, 'Outputs')).map(([name, output]) => {
      const ref = isMap(output) && isMap(output.Value) ? output.Value.Ref : undefined
      const type = typeOf(ref)
      const kind: OutputKind =
        type === 'AWS::IAM::ManagedPolicy'
          ? 'policy'
          : type === 'AWS::SecretsManager::Secret'
            ? 'secret'
            : 'variable'
      return [name, kind]
    }),
  )
}

// Copilot deploys all the templates of one addons/ folder as one stack, merged section by section
// (internal/pkg/addon/cloudformation.go, merge): a key that two templates both declare must be
// declared alike, or the deploy fails. Each clash comes back as "<section>.<key>".
export function mergeConflicts(templates: Template[]): string[] {
  const sections = ['Metadata', 'Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs']
  const clashes: string[] = []
  for (const name of sections) {
    const seen = new Map<string, unknown>()
    for (const template of templates) {
      for (const [key, value] of Object.entries(section(template, name))) {
        if (seen.has(key) && !isDeepStrictEqual(seen.get(key), value))
          clashes.push(`${name}.${key}`)
        else seen.set(key, value)
      }
    }
  }
  return clashes
}

// An Fn::Sub string with its ${Name} references replaced by the values given.
export function expandSub(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => values[name] ?? whole)
}

// The export an Fn::ImportValue names, when it names one with a plain or Fn::Sub string.
export function importedExport(node: unknown): string | undefined {
  if (!isMap(node)) return undefined
  const name = node['Fn::ImportValue']
  if (typeof name === 'string') return name
  return isMap(name) && typeof name['Fn::Sub'] === 'string' ? name['Fn::Sub'] : undefined
}
