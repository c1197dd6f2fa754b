import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const server = fileURLToPath(new URL('../../src/worker/server.ts', import.meta.url))
const rooms = ['processor/src/core/', 'processor/src/worker/']

// Every file the worker loads, found as a bundler finds them: following its imports from the
// entry. Nothing is written; the metafile names the inputs, relative to the repository.
let inputs: string[] = []
beforeAll(async () => {
  const { metafile } = await build({
    entryPoints: [server],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  inputs = Object.keys(metafile.inputs)
})

// The COPY sources from the build context of the stage that bundles the worker.
function copiedSources(): string[] {
  const lines = readFileSync(`${root}processor/Dockerfile`, 'utf8').split('\n')
  const bundles = lines.indexOf('RUN node processor/build/worker.ts')
  const stage = lines.slice(
    lines.findLastIndex((line, i) => i < bundles && line.startsWith('FROM ')),
    bundles,
  )
  return stage
    .filter((line) => line.startsWith('COPY ') && !line.includes('--from'))
    .flatMap((line) => line.split(/\s+/).slice(1, -1))
}

describe('what the worker runs (the processor image)', () => {
  it('when the worker is followed from its entry, then its processor files are in src/core and src/worker', () => {
    const ours = inputs.filter((input) => input.startsWith('processor/'))
    expect(ours).toContain('processor/src/worker/server.ts')
    expect(ours).toContain('processor/src/core/order-core.ts')
    expect(ours.filter((input) => !rooms.some((room) => input.startsWith(room)))).toEqual([])
  })

  it('when the worker is followed from its entry, then neither esbuild nor the Lambda libraries load', () => {
    expect(inputs.some((input) => input.includes('node_modules/pino/'))).toBe(true)
    const buildOnly = /node_modules\/(esbuild|@esbuild|@aws-lambda-powertools)\//
    expect(inputs.filter((input) => buildOnly.test(input))).toEqual([])
  })

  it('when the image bundles the worker, then its build stage copies exactly the sources the worker loads', () => {
    const workspaces = inputs.filter((input) => !input.includes('node_modules/'))
    const copied = copiedSources()
    expect(copied.filter((source) => source.startsWith('processor/')).sort()).toEqual([
      'processor/build/bundle.ts',
      'processor/build/worker.ts',
      'processor/package.json',
      'processor/src/core',
      'processor/src/worker',
    ])
    for (const input of workspaces) {
      expect(
        copied.some((source) => input.startsWith(`${source}/`)),
        input,
      ).toBe(true)
    }
  })
})
