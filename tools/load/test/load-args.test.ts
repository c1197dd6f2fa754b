import { describe, expect, it } from 'vitest'
import { parseLoadArgs } from '../src/load/args.ts'
import { resolveTargets } from '../src/load/targets.ts'

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseLoadArgs(argv, env, '/reports')

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const command = parse(argv, env)
  if (command.command !== 'run') throw new Error(`expected a run, got ${command.command}`)
  return command.options
}

describe('load arguments', () => {
  it("when only a scenario is named, then the scenario's Locust-style defaults apply", () => {
    expect(run(['sync'])).toMatchObject({
      path: '/orders/sync',
      expectStatus: 200,
      users: 20,
      spawnRate: 1,
      durationS: 60,
      timeoutS: 10,
      drain: true,
      drainTimeoutS: 300,
      out: '/reports',
      queues: { queue: 'orders-queue', dlq: 'orders-dlq' },
    })
    expect(run(['async'])).toMatchObject({
      path: '/orders/async',
      expectStatus: 202,
      users: 30,
      spawnRate: 10,
      timeoutS: 5,
    })
    expect(run(['normal'])).toMatchObject({ users: 5, durationS: 30, path: '/orders/async' })
    expect(run(['flash'])).toMatchObject({ mode: 'open', rate: 60, path: '/orders/async' })
  })

  it('when flags are given, then every number is overridden', () => {
    const options = run([
      'async',
      '--users=3',
      '--spawn-rate',
      '2.5',
      '--duration',
      '4',
      '--timeout',
      '1',
      '--rate',
      '7',
      '--no-drain',
      '--drain-timeout',
      '0',
      '--out',
      '/tmp/x',
      '--queue',
      'https://sqs.eu-west-1.amazonaws.com/1/q',
      '--dlq',
      'd',
    ])
    expect(options).toMatchObject({
      users: 3,
      spawnRate: 2.5,
      durationS: 4,
      timeoutS: 1,
      rate: 7,
      drain: false,
      drainTimeoutS: 0,
      out: '/tmp/x',
      queues: { queue: 'https://sqs.eu-west-1.amazonaws.com/1/q', dlq: 'd' },
    })
  })

  it('when compare is asked, then sync and async get the same users and duration', () => {
    const command = parse(['compare', '--users', '4', '--duration', '3'])
    if (command.command !== 'compare') throw new Error('expected compare')
    expect(command.sync).toMatchObject({
      path: '/orders/sync',
      users: 4,
      durationS: 3,
      timeoutS: 10,
    })
    expect(command.async).toMatchObject({
      path: '/orders/async',
      users: 4,
      durationS: 3,
      timeoutS: 5,
    })
    expect(command.sync.spawnRate).toBe(command.async.spawnRate)
  })

  it('when --follow is given, then async runs follow their orders and sync ones have none to', () => {
    expect(run(['async']).follow).toBe(false)
    expect(run(['flash', '--follow']).follow).toBe(true)
    expect(run(['sync', '--follow']).follow).toBe(false)
    const command = parse(['compare', '--follow'])
    if (command.command !== 'compare') throw new Error('expected compare')
    expect([command.sync.follow, command.async.follow]).toEqual([false, true])
    // The orders are followed during the drain: without it they could not be.
    expect(() => parse(['async', '--follow', '--no-drain'])).toThrow(/--follow needs the drain/)
  })

  it('when no scenario or --help is given, then help is the command', () => {
    expect(parse([])).toEqual({ command: 'help' })
    expect(parse(['sync', '-h'])).toEqual({ command: 'help' })
  })

  it('when a value is wrong, then the error names the flag or lists the scenarios', () => {
    expect(() => parse(['burst'])).toThrow(/sync, async, normal, flash, compare/)
    expect(() => parse(['sync', '--users', '2.5'])).toThrow(/--users must be a whole number/)
    expect(() => parse(['sync', '--duration=0'])).toThrow(/--duration must be a number > 0/)
    expect(() => parse(['sync', '--host', 'not a url'])).toThrow(/--host must be a URL/)
    expect(() => parse(['sync', '--bogus'])).toThrow(/bogus/)
  })
})

describe('load targets', () => {
  it("when the host is local, then the embedded stack's ports (the processor's metrics port) are assumed", () => {
    const env = {
      RECEIVER_PORT: '9000',
      EMULATOR_PORT: '9001',
      PROCESSOR_PORT: '9003',
      PROCESSOR_METRICS_PORT: '9002',
    }
    expect(resolveTargets({}, env)).toEqual({
      host: 'http://127.0.0.1:9000',
      endpoint: 'http://127.0.0.1:9001',
      processor: 'http://127.0.0.1:9002',
    })
    expect(resolveTargets({}, {}).processor).toBe('http://127.0.0.1:9081')
  })

  it('when the host is remote, then the queue is read from AWS and no processor is scraped', () => {
    const targets = resolveTargets({ host: 'https://orders.example.com/' }, {})
    expect(targets).toEqual({
      host: 'https://orders.example.com',
      endpoint: undefined,
      processor: undefined,
    })
  })

  it('when AWS_ENDPOINT_URL or a flag names an endpoint, then that wins; --aws overrides both', () => {
    const env = { AWS_ENDPOINT_URL: 'http://localstack:4566' }
    expect(resolveTargets({}, env).endpoint).toBe('http://localstack:4566')
    expect(resolveTargets({ endpoint: 'http://e:1' }, env).endpoint).toBe('http://e:1')
    expect(resolveTargets({ aws: true, endpoint: 'http://e:1' }, env).endpoint).toBeUndefined()
  })
})

describe('the processors behind the capacity line', () => {
  it("when nothing is given, then it is one processor with the processor's own defaults", async () => {
    const { parseConfig } = await import('@orders/processor/config')
    const processor = parseConfig({
      ORDERS_QUEUE_URL: 'http://127.0.0.1:1/q',
      ORDERS_TABLE_NAME: 'orders',
    })
    expect(run(['async']).capacity).toEqual({
      workers: 1,
      concurrency: processor.concurrency,
      processingMs: processor.processingTimeMs,
    })
  })

  it("when the processor's variables are set, as in .env, then they are read; flags win", () => {
    const env = { PROCESSOR_CONCURRENCY: '50', PROCESSING_TIME_MS: '200' }
    expect(run(['async'], env).capacity).toEqual({ workers: 1, concurrency: 50, processingMs: 200 })
    const flags = ['async', '--workers', '3', '--concurrency', '20', '--processing-ms', '0']
    expect(run(flags, env).capacity).toEqual({ workers: 3, concurrency: 20, processingMs: 0 })
  })

  it('when a processor count is not whole, then it is refused', () => {
    expect(() => parse(['async', '--workers', '1.5'])).toThrow('--workers must be a whole number')
  })
})

describe('--web', () => {
  it("when asked for the page, then it listens on Locust's port on loopback, other flags kept for each run", () => {
    const command = parse(['--web', '--host', 'http://127.0.0.1:9', '--users=3', '--no-drain'])
    expect(command).toEqual({
      command: 'web',
      web: { host: '127.0.0.1', port: 8089 },
      argv: ['--host', 'http://127.0.0.1:9', '--users', '3', '--no-drain'],
    })
  })

  it('when another address is asked for, then it is refused unless --allow-remote says so', () => {
    expect(() => parse(['--web', '--web-host', '0.0.0.0'])).toThrow(/--allow-remote/)
    expect(
      parse(['--web', '--web-host', '0.0.0.0', '--allow-remote', '--web-port', '9000']),
    ).toMatchObject({
      web: { host: '0.0.0.0', port: 9000 },
    })
    expect(parse(['--web', '--web-host', '::1'])).toMatchObject({ web: { host: '::1' } })
  })

  it('when a scenario or a bad flag comes with it, then it fails at start-up', () => {
    expect(() => parse(['--web', 'async'])).toThrow(/takes no scenario/)
    expect(() => parse(['--web', '--users', 'many'])).toThrow(/--users must be a number/)
    expect(() => parse(['--web', '--web-port', '80000'])).toThrow(/--web-port/)
  })
})
