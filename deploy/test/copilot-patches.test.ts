import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { readYaml } from './copilot.ts'
import {
  applyPatches,
  type Patch,
  patchedTemplate,
  patchFile,
  readPatches,
  renderedTemplate,
  stacks,
} from './copilot-patch.ts'

// Lambda's runtime table (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), as
// docs/deploy.md "Copilot's own Lambda functions" cites it, looked up on 2026-11-24.
const lookedUp = '2026-11-24'
const deprecation: Record<string, string> = {
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs24.x': '2028-04-30',
}

type Template = ReturnType<typeof renderedTemplate>

// Every resource with a Runtime, whatever its type: a function Copilot adds later is caught too.
function runtimes(template: Template) {
  return Object.entries(template.Resources).flatMap(([id, resource]) =>
    resource.Properties && 'Runtime' in resource.Properties
      ? [{ id, runtime: String(resource.Properties.Runtime) }]
      : [],
  )
}

function onDeprecatedRuntime(template: Template) {
  return runtimes(template)
    .filter(({ runtime }) => !(runtime in deprecation) || (deprecation[runtime] ?? '') <= lookedUp)
    .map(({ id }) => id)
}

const lambdaFunctions = (template: Template) =>
  Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([id]) => id)
    .sort()

// Which functions v1.34.1's templates declare for a manifest, from the conditions around them
// (paths under internal/pkg/template/templates/ in aws/copilot-cli).
const manifest = z.looseObject({
  type: z.string(),
  http: z.unknown().optional(),
  nlb: z.unknown().optional(),
  cdn: z.unknown().optional(),
  count: z.unknown().optional(),
})
const count = z.looseObject({
  range: z.unknown().optional(),
  spot: z.unknown().optional(),
  queue_delay: z.unknown().optional(),
})
const publicHttp = z.looseObject({
  certificates: z.array(z.string()).optional(),
  access_logs: z
    .union([z.boolean(), z.looseObject({ bucket_name: z.string().optional() })])
    .optional(),
})

function declaredFunctions(path: string) {
  const m = manifest.parse(readYaml(path))
  const functions: string[] = []
  if (m.type === 'Environment') {
    const http = publicHttp.parse(
      z.looseObject({ public: z.unknown().optional() }).parse(m.http ?? {}).public ?? {},
    )
    // environment/cf.yml includes partials/lambdas.yml unless certificates are imported.
    if (!http.certificates?.length)
      functions.push(
        'CertificateValidationFunction',
        'CustomDomainFunction',
        'DNSDelegationFunction',
      )
    // partials/cdn-resources.yml
    if (m.cdn) functions.push('UniqueJSONValuesFunction', 'CertificateReplicatorFunction')
    // partials/elb-access-logs.yml, when Copilot creates the bucket
    const logs = http.access_logs
    if (logs === true || (typeof logs === 'object' && !logs.bucket_name))
      functions.push('BucketCleanerFunction')
    return functions.sort()
  }
  // workloads/partials/cf/env-controller.yml is in every service template.
  functions.push('EnvControllerFunction')
  // workloads/partials/cf/alb.yml: the listener rule of a Load Balanced Web Service with http.
  if (m.type === 'Load Balanced Web Service' && m.http !== false)
    functions.push('RulePriorityFunction')
  // workloads/partials/cf/nlb.yml
  if (m.nlb) functions.push('NLBCustomDomainFunction', 'NLBCertValidatorFunction')
  // workloads/partials/cf/autoscaling.yml: `count.range` without `count.spot`.
  const scaling = count.safeParse(m.count)
  if (scaling.success && scaling.data.range && !scaling.data.spot) {
    functions.push('DynamicDesiredCountFunction')
    if (scaling.data.queue_delay) functions.push('BacklogPerTaskCalculatorFunction')
  }
  return functions.sort()
}

const manifests = {
  environment: 'copilot/environments/dev/manifest.yml',
  receiver: 'copilot/receiver/manifest.yml',
  processor: 'copilot/processor/manifest.yml',
} as const

const runtimePatches = (patches: Patch[]) => patches.filter((p) => p.path.endsWith('/Runtime'))

describe.each(Object.keys(stacks) as (keyof typeof stacks)[])('%s YAML patches', (stack) => {
  const patches = readPatches(stacks[stack].patches)
  const rendered = renderedTemplate(stack)

  it('when Copilot reads the file, then it is add/remove/replace patches with JSON pointer paths', () => {
    expect(patches.length).toBeGreaterThan(0)
    for (const p of patches) expect(p.path).toMatch(/^\/Resources\/[A-Za-z0-9]+\//)
  })

  it('when the manifest is rendered, then the fixture holds every function the templates declare', () => {
    expect(lambdaFunctions(rendered)).toEqual(declaredFunctions(manifests[stack]))
  })

  it('when nothing is patched, then Copilot leaves every function on a deprecated runtime', () => {
    expect(onDeprecatedRuntime(rendered).sort()).toEqual(lambdaFunctions(rendered))
  })

  it('when the patches are applied, then each finds its path and no function is left deprecated', () => {
    const patched = patchedTemplate(stack)
    expect(
      runtimes(patched)
        .map(({ id }) => id)
        .sort(),
    ).toEqual(lambdaFunctions(rendered))
    expect(onDeprecatedRuntime(patched)).toEqual([])
    for (const { runtime } of runtimes(patched)) expect(runtime).toBe('nodejs24.x')
  })

  it.each(runtimePatches(patches).map((p) => [p.path.split('/')[2] ?? '', p] as const))(
    'when the %s patch is missing, then that function stays deprecated',
    (id, missing) => {
      const patched = patchedTemplate(
        stack,
        patches.filter((p) => p !== missing),
      )
      expect(onDeprecatedRuntime(patched)).toEqual([id])
    },
  )
})

// The rules Copilot's patch.go applies, which the checks above rely on.
describe('applying a YAML patch', () => {
  const doc = { Resources: { Fn: { Properties: { Runtime: 'nodejs20.x' } } } }
  const replace = (path: string): Patch => ({ op: 'replace', path, value: 'nodejs24.x' })

  it('when a replace names a key that is not there, then it fails as the deploy would', () => {
    expect(() => applyPatches(doc, [replace('/Resources/Function/Properties/Runtime')])).toThrow(
      'key "Function" not found',
    )
  })

  it('when an add names a missing parent, then it fails; under an existing one it sets the key', () => {
    const add = (path: string): Patch => ({ op: 'add', path, value: 30 })
    expect(() => applyPatches(doc, [add('/Resources/Task/Properties/StopTimeout')])).toThrow()
    expect(applyPatches(doc, [add('/Resources/Fn/Properties/Timeout')])).toEqual({
      Resources: { Fn: { Properties: { Runtime: 'nodejs20.x', Timeout: 30 } } },
    })
  })

  it('when Copilot reads a patch with a misspelt key or an unsupported op, then it is refused', () => {
    expect(() => patchFile.parse([{ op: 'replace', path: '/Resources/Fn', values: 'x' }])).toThrow()
    expect(() =>
      patchFile.parse([{ op: 'move', path: '/Resources/Fn', from: '/Resources/X' }]),
    ).toThrow()
  })
})
