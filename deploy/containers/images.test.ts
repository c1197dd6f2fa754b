import { randomUUID } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docker, healthOf, imageSize, nodeImage, root, run } from './docker.ts'

const id = randomUUID().slice(0, 8)
const label = `async-orders-test=${id}`
const network = `async-orders-test-${id}`
// As docker-compose.fauxqs.yml wires the services: dynalite is on its own port in the fauxqs image.
const aws = {
  AWS_ENDPOINT_URL: 'http://fauxqs:4566',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://fauxqs:8000',
  ORDERS_TABLE_NAME: 'orders',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
}
const images = [
  {
    name: 'fauxqs',
    dockerfile: 'stack/Dockerfile',
    sources: 'stack/src/fauxqs-server.ts',
    env: {},
  },
  {
    name: 'receiver',
    dockerfile: 'receiver/Dockerfile',
    sources: 'receiver/src/server.ts',
    env: { ...aws, ORDERS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:orders' },
  },
  {
    name: 'processor',
    dockerfile: 'processor/Dockerfile',
    sources: 'processor/dist/worker/server.mjs',
    env: { ...aws, ORDERS_QUEUE_URL: 'http://fauxqs:4566/000000000000/orders-queue' },
  },
]
const tag = (name: string) => `async-orders-test-${id}/${name}`
// What the lockfile installs only for development (vitest, typescript, biome, ...).
const lock = JSON.parse(readFileSync(root('package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; devOptional?: boolean }>
}
const devOnly = Object.entries(lock.packages)
  .filter(([path, entry]) => (entry.dev || entry.devOptional) && path.startsWith('node_modules/'))
  .map(([path]) => path)

// The build context is a copy of the repository with a .env holding a secret, so that the check
// for .env inside the image can fail; the copy leaves out what git ignores anyway.
let context = ''

beforeAll(async () => {
  context = mkdtempSync(join(tmpdir(), 'async-orders-context-'))
  cpSync(root(), context, {
    recursive: true,
    filter: (path) =>
      !/^(node_modules|\.node|\.git|reports)(\/|$)|\/node_modules(\/|$)/.test(
        relative(root(), path),
      ),
  })
  writeFileSync(join(context, '.env'), 'AWS_SECRET_ACCESS_KEY=must-never-reach-an-image\n')
  for (const image of images) {
    // The host's network: a build's `npm ci` reaches the registry even where dockerd has no NAT.
    await docker(
      [
        'build',
        '--network',
        'host',
        '--build-arg',
        `NODE_IMAGE=${nodeImage}`,
        '-f',
        image.dockerfile,
        '-t',
        tag(image.name),
        '.',
      ],
      { cwd: context, timeoutMs: 600_000 },
    )
  }
  await docker(['network', 'create', '--label', label, network])
  for (const image of images) {
    const env = Object.entries(image.env).flatMap(([k, v]) => ['-e', `${k}=${v}`])
    // The image's own HEALTHCHECK command, probed every second so the test need not wait 5 s.
    await docker([
      'run',
      '--detach',
      '--name',
      `${network}-${image.name}`,
      '--label',
      label,
      '--network',
      network,
      '--network-alias',
      image.name,
      '--health-interval',
      '1s',
      ...env,
      tag(image.name),
    ])
  }
}, 900_000)

afterAll(async () => {
  const containers = (await run('docker', ['ps', '-aq', '--filter', `label=${label}`])).stdout
  const ids = containers.split('\n').filter(Boolean)
  if (ids.length > 0) await run('docker', ['rm', '--force', ...ids])
  await run('docker', ['network', 'rm', network])
  await run('docker', ['image', 'rm', ...images.map((image) => tag(image.name))])
  if (context) rmSync(context, { recursive: true, force: true })
}, 120_000)

describe.each(images)('the $name image ($dockerfile)', (image) => {
  const inImage = (script: string) =>
    docker([
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      'node',
      tag(image.name),
      '-e',
      script,
    ])

  it('when it runs, then it runs as a non-root uid', async () => {
    const uid = Number((await inImage('console.log(process.getuid())')).trim())
    expect(uid).toBeGreaterThan(0)
  })

  it('when started, then its HEALTHCHECK turns healthy', async () => {
    await expect
      .poll(() => healthOf(`${network}-${image.name}`), { timeout: 60_000, interval: 500 })
      .toBe('healthy')
  })

  it('when built, then no .env, tests or dev dependencies are inside', async () => {
    const found = JSON.parse(
      await inImage(`
        const { readdirSync, existsSync } = require('node:fs')
        const files = []
        const walk = (dir) => {
          for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const path = dir + '/' + entry.name
            if (entry.name === 'node_modules') continue
            files.push(path)
            if (entry.isDirectory()) walk(path)
          }
        }
        walk('/app')
        const devOnly = ${JSON.stringify(devOnly)}
        console.log(JSON.stringify({
          files,
          env: files.filter((f) => /\\/\\.env$/.test(f)),
          tests: files.filter((f) => /\\/tests?(\\/|$)|\\.test\\.ts$/.test(f)),
          devDependencies: devOnly.filter((p) => existsSync('/app/' + p)),
        }))`),
    ) as { files: string[]; env: string[]; tests: string[]; devDependencies: string[] }
    // The walk itself works: it sees the service's entry point, so empty lists mean something.
    expect(found.files).toContain(`/app/${image.sources}`)
    expect(devOnly).toEqual(
      expect.arrayContaining(['node_modules/vitest', 'node_modules/typescript']),
    )
    expect(found.env).toEqual([])
    expect(found.tests).toEqual([])
    expect(found.devDependencies).toEqual([])
  })

  it.runIf(image.name === 'processor')(
    'when built, then it holds the worker bundle alone: no sources, no node_modules, no esbuild',
    async () => {
      const found = JSON.parse(
        await inImage(`
          const { readdirSync } = require('node:fs')
          const files = []
          const walk = (dir) => {
            for (const entry of readdirSync(dir, { withFileTypes: true })) {
              if (entry.isDirectory()) walk(dir + '/' + entry.name)
              else files.push(dir + '/' + entry.name)
            }
          }
          walk('/app')
          console.log(JSON.stringify(files))`),
      ) as string[]
      expect(found).toEqual(['/app/processor/dist/worker/server.mjs'])
    },
  )

  it('when built, then it adds little to the Node base image', async () => {
    const [size, base] = await Promise.all([imageSize(tag(image.name)), imageSize(nodeImage)])
    const mb = (bytes: number) => Math.round(bytes / 1e6)
    console.log(
      `${image.name} image: ${mb(size)} MB (${nodeImage} ${mb(base)} MB + ${mb(size - base)} MB)`,
    )
    expect(size - base).toBeLessThan(100e6)
  })
})
