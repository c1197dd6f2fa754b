import { existsSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  execForm,
  finalStage,
  type Instruction,
  inBuildContext,
  parseDockerfile,
} from './dockerfile.ts'
import { runtimeSources, workspaceOf } from './import-graph.ts'

const root = (path = '') => fileURLToPath(new URL(`../../${path}`, import.meta.url))
const dockerignore = root('.dockerignore')

// The two services, and the fauxqs emulator of docker-compose.fauxqs.yml. The processor's image
// runs its worker bundled into one module by a build stage; the others run their sources.
const images = [
  { workspace: 'receiver', entry: 'src/server.ts', runs: 'src/server.ts' },
  {
    workspace: 'processor',
    entry: 'src/worker/server.ts',
    runs: 'dist/worker/server.mjs',
    bundler: 'processor/build/worker.ts',
  },
  { workspace: 'stack', entry: 'src/fauxqs-server.ts', runs: 'src/fauxqs-server.ts' },
]
const copiedFromContext = (stage: Instruction[]) =>
  stage
    .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1))

describe.each(images)('$workspace/Dockerfile', ({ workspace, entry, runs, bundler }) => {
  const instructions = parseDockerfile(root(`${workspace}/Dockerfile`))
  const final = finalStage(instructions)
  const last = (keyword: string) => final.filter((i) => i.keyword === keyword).at(-1)
  const stageNames = instructions
    .filter((i) => i.keyword === 'FROM')
    .map((i) => i.args.split(/\s+as\s+/i)[1])

  it('when built, then every base is NODE_IMAGE, node:24-alpine unless a mirror or stand-in is given', () => {
    const arg = instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='))
    expect(arg?.stage, 'ARG NODE_IMAGE comes before the first FROM').toBe(-1)
    expect(arg?.args).toBe('NODE_IMAGE=node:24-alpine')
    const bases = instructions
      .filter((i) => i.keyword === 'FROM')
      .map((i) => i.args.split(/\s+/)[0] ?? '')
      .filter((image) => !stageNames.includes(image))
    expect(bases.length).toBeGreaterThan(1)
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Dockerfile's own syntax
    for (const image of bases) expect(image).toBe('${NODE_IMAGE}')
    expect(stageNames.filter(Boolean).length).toBeGreaterThan(0)
  })

  it('when dependencies install, then only production ones of this workspace do, from the lockfile', () => {
    const installs = instructions.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args))
    expect(installs).toHaveLength(1)
    expect(installs[0]?.args).toContain('--omit=dev')
    expect(installs[0]?.args).toMatch(new RegExp(`(-w|--workspace)[ =]${workspace}\\b`))
  })

  it('when it runs, then it runs as a non-root user', () => {
    const user = last('USER')?.args
    expect(user).toBeDefined()
    expect(user).not.toMatch(/^(root|0)(:|$)/)
  })

  it('when docker stops it, then SIGTERM reaches node (exec-form CMD, no shell in between)', () => {
    const cmd = execForm(last('CMD')?.args ?? '')
    expect(cmd).toEqual(['node', runs])
    expect(last('ENTRYPOINT')).toBeUndefined()
    expect(last('WORKDIR')?.args).toBe(`/app/${workspace}`)
    expect(existsSync(root(`${workspace}/${entry}`))).toBe(true)
  })

  it('when it runs, then a HEALTHCHECK asks /health with node (the image has no curl)', () => {
    const check = last('HEALTHCHECK')?.args ?? ''
    const command = execForm(check.slice(check.indexOf('CMD') + 3).trim())
    expect(command?.[0]).toBe('node')
    expect(command?.join(' ')).toContain('/health')
    expect(check).not.toContain('--start-interval')
  })

  it('when it runs in a container, then it listens on all interfaces', () => {
    const env = final.filter((i) => i.keyword === 'ENV').map((i) => i.args)
    expect(env.join(' ')).toMatch(/\bHOST=0\.0\.0\.0\b/)
  })

  it.runIf(bundler === undefined)(
    'when node runs the entry, then every file it loads is copied, with its workspace manifest',
    () => {
      const loaded = runtimeSources(`${workspace}/${entry}`)
      expect(loaded.length).toBeGreaterThan(3)
      const inFinal = copiedFromContext(final)
      const missing = loaded.filter((f) => !inFinal.some((s) => f === s || f.startsWith(`${s}/`)))
      expect(missing, 'sources node loads but the image lacks').toEqual([])
      // npm ci links each workspace from its package.json; node resolves its exports from it.
      const manifests = [...new Set(loaded.map((f) => `${workspaceOf(f)}/package.json`))]
      expect(manifests.filter((m) => !copiedFromContext(instructions).includes(m))).toEqual([])
    },
  )

  it.runIf(bundler !== undefined)(
    'when the bundler runs in the build stage, then it has every source it follows, and the final stage copies only its output',
    () => {
      const runsBundler = instructions.find(
        (i) => i.keyword === 'RUN' && i.args === `node ${bundler}`,
      )
      expect(runsBundler, `RUN node ${bundler}`).toBeDefined()
      const build = instructions.filter((i) => i.stage === runsBundler?.stage)
      const inBuild = copiedFromContext(build)
      const loaded = [...runtimeSources(`${workspace}/${entry}`), ...runtimeSources(`${bundler}`)]
      expect(loaded.length).toBeGreaterThan(3)
      const missing = loaded.filter((f) => !inBuild.some((s) => f === s || f.startsWith(`${s}/`)))
      expect(missing, 'sources the bundler follows but the build stage lacks').toEqual([])
      const manifests = [...new Set(loaded.map((f) => `${workspaceOf(f)}/package.json`))]
      expect(manifests.filter((m) => !inBuild.includes(m))).toEqual([])
      // The final stage: the bundle's folder from the build stage, nothing from the context.
      const copies = final.filter((i) => i.keyword === 'COPY')
      expect(copies.map((i) => i.args)).toEqual([
        `--from=${stageNames[runsBundler?.stage ?? -1]} /app/${workspace}/${dirname(runs)} ${dirname(runs)}`,
      ])
    },
  )

  it('when it copies from the build context, then .dockerignore lets every source through', () => {
    const sources = copiedFromContext(instructions)
    expect(sources.length).toBeGreaterThan(0)
    for (const source of sources) {
      expect(existsSync(root(source)), source).toBe(true)
      expect(inBuildContext(dockerignore, source), source).toBe(true)
    }
  })
})

describe('stack/Dockerfile', () => {
  it('when its HEALTHCHECK runs, then it also asks for the file written once the topology exists', () => {
    const instructions = parseDockerfile(root('stack/Dockerfile'))
    const final = finalStage(instructions)
    const check = final.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? ''
    expect(check).toContain('process.env.READY_FILE')
    const env = final.filter((i) => i.keyword === 'ENV').map((i) => i.args)
    expect(env.join(' ')).toMatch(/\bREADY_FILE=\/tmp\/\S+/)
    expect(env.join(' ')).toMatch(/\bPORT=4566\b/)
  })
})

describe('.dockerignore', () => {
  it.each(['node_modules', '.node', '.env', '.git', 'reports', 'receiver/node_modules'])(
    'when the context is sent, then %s stays out of it',
    (path) => {
      expect(inBuildContext(dockerignore, path)).toBe(false)
    },
  )

  it('when the context is sent, then tests stay out and service sources go in', () => {
    expect(inBuildContext(dockerignore, 'receiver/test/app.test.ts')).toBe(false)
    expect(inBuildContext(dockerignore, 'stack/test/provision.test.ts')).toBe(false)
    expect(inBuildContext(dockerignore, 'deploy/test/compose.test.ts')).toBe(false)
    expect(inBuildContext(dockerignore, 'deploy/containers/images.test.ts')).toBe(false)
    expect(inBuildContext(dockerignore, 'order/src/order.ts')).toBe(true)
    expect(inBuildContext(dockerignore, 'stack/src/provision.ts')).toBe(true)
    expect(inBuildContext(dockerignore, 'store/package.json')).toBe(true)
    expect(inBuildContext(dockerignore, 'store/src/table.ts')).toBe(true)
    expect(inBuildContext(dockerignore, 'store/test/store.test.ts')).toBe(false)
  })
})

describe('processor/Dockerfile memory', () => {
  it('when the image runs, then node gets the V8 flags that `npm start -w processor` gives it', () => {
    const start: string = JSON.parse(readFileSync(root('processor/package.json'), 'utf8')).scripts
      .start
    const flags = start.split(/\s+/).filter((word) => word.startsWith('--max-semi-space-size'))
    expect(flags).toHaveLength(1)
    const env = finalStage(parseDockerfile(root('processor/Dockerfile')))
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ')
    expect(env).toContain(`NODE_OPTIONS=${flags[0]}`)
  })
})
