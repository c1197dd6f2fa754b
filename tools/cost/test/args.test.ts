import { readFile } from 'node:fs/promises'
import { SLOTS_PER_POLLER } from '@orders/processor/pollers'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parseCostArgs } from '../src/args.ts'
import { manifestPaths, readDeployedSizes, type ServiceSize, serviceSize } from '../src/manifest.ts'

type Manifest = {
  cpu: number
  memory: number
  count: { range: { min: number; max: number; spot_from?: number }; requests?: number }
  variables: Record<string, string>
}

let manifests: { processor: ServiceSize; receiver: ServiceSize }
let processorYaml: Manifest
beforeAll(async () => {
  manifests = await readDeployedSizes()
  processorYaml = parse(await readFile(manifestPaths.processor, 'utf8')) as Manifest
})

const compareOptions = (argv: string[]) => {
  const command = parseCostArgs(argv, manifests, 0.7)
  if (command.command !== 'compare')
    throw new Error(`expected a comparison, got ${command.command}`)
  return command.options
}

describe('the Copilot manifests', () => {
  it('when the real processor manifest is read, then its size, range, Spot share and variables come through', () => {
    const { cpu, memory, count, variables } = processorYaml
    expect(manifests.processor).toMatchObject({
      vcpu: cpu / 1024,
      memoryGb: memory / 1024,
      minTasks: count.range.min,
      maxTasks: count.range.max,
      spotFrom: count.range.spot_from,
    })
    expect(manifests.processor.variables.PROCESSOR_CONCURRENCY).toBe(
      variables.PROCESSOR_CONCURRENCY,
    )
  })

  it('when the real receiver manifest is read, then it scales on requests per task', () => {
    expect(manifests.receiver.requestsPerTaskPerMinute).toBeGreaterThan(0)
    expect(manifests.receiver.spotFrom).toBeUndefined()
  })

  it('when count is a fixed number or a "1-4" range, then both read as min and max', () => {
    expect(serviceSize('cpu: 512\nmemory: 1024\ncount: 2\n')).toMatchObject({
      vcpu: 0.5,
      memoryGb: 1,
      minTasks: 2,
      maxTasks: 2,
      spotFrom: undefined,
    })
    expect(serviceSize("cpu: 256\nmemory: 512\ncount:\n  range: '1-4'\n")).toMatchObject({
      minTasks: 1,
      maxTasks: 4,
    })
  })

  it('when the manifest lacks its cpu, then the error names the field on one line', () => {
    expect(() => serviceSize('memory: 512\ncount: 1\n')).toThrow(/^cpu: .*$/)
  })
})

describe('cost arguments', () => {
  it('when no flag is given, then the manifest and the default load give every default', () => {
    expect(compareOptions([])).toMatchObject({
      ordersPerMonth: 10_000,
      processingMs: Number(processorYaml.variables.PROCESSING_TIME_MS),
      concurrency: Number(processorYaml.variables.PROCESSOR_CONCURRENCY),
      pollersPerTask: Math.ceil(
        Number(processorYaml.variables.PROCESSOR_CONCURRENCY) / SLOTS_PER_POLLER,
      ),
      sqsRequestsPerOrder: 2,
      lambdaMemoryMb: 128,
      lambdaArch: 'x86_64',
      spotDiscount: 0.7,
      statusPolls: 1,
    })
  })

  it("when the concurrency passes one poller's slots, then a task keeps one more poller per SLOTS_PER_POLLER", () => {
    const concurrency = String(2 * SLOTS_PER_POLLER + 20)
    expect(compareOptions(['--concurrency', concurrency]).pollersPerTask).toBe(3)
    expect(
      compareOptions(['--concurrency', concurrency, '--pollers-per-task', '7']).pollersPerTask,
    ).toBe(7)
  })

  it('when flags are given, then each one overrides its default', () => {
    expect(
      compareOptions([
        '--rate=2',
        '--processing-ms',
        '500',
        '--concurrency',
        '4',
        '--sqs-requests-per-order',
        '0.2',
        '--lambda-memory-mb',
        '512',
        '--lambda-arch',
        'arm64',
        '--order-kb',
        '70',
        '--spot-discount',
        '0.5',
        '--status-polls',
        '3',
      ]),
    ).toMatchObject({
      ordersPerMonth: 2 * 730 * 3600,
      processingMs: 500,
      concurrency: 4,
      // One long-polling sqs-consumer per SLOTS_PER_POLLER slots, as the processor runs them.
      pollersPerTask: 1,
      sqsRequestsPerOrder: 0.2,
      lambdaMemoryMb: 512,
      lambdaArch: 'arm64',
      orderKb: 70,
      spotDiscount: 0.5,
      statusPolls: 3,
    })
  })

  it.each([
    [['--rate', '1', '--orders-per-month', '5'], 'give --orders-per-month or --rate, not both'],
    [['--orders-per-month', 'lots'], '--orders-per-month must be a number >= 0, got "lots"'],
    [['--processing-ms=-3'], '--processing-ms must be a number > 0, got "-3"'],
    [['--processing-ms', '-3'], /^Option '--processing-ms' argument is ambiguous\. [^\n]+$/],
    [['--concurrency', '2.5'], '--concurrency must be a whole number > 0, got "2.5"'],
    [['--lambda-arch', 'sparc'], '--lambda-arch must be x86_64 or arm64, got "sparc"'],
    [['--lambda-memory-mb', '64'], '--lambda-memory-mb must be between 128 and 10240, got "64"'],
    [['--spot-discount', '1'], '--spot-discount must be below 1, got "1"'],
    [['--status-polls', 'often'], '--status-polls must be a number >= 0, got "often"'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
  ])('when given %j, then it refuses with one clear message', (argv, message) => {
    expect(() => parseCostArgs(argv, manifests, 0.7)).toThrow(message)
  })
})
