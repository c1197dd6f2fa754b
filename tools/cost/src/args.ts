import { parseArgs } from 'node:util'
import { pollersFor } from '@orders/processor/pollers'
import { numericVariable, type ServiceSize } from './manifest.ts'
import { type CostOptions, ordersPerMonthAt } from './workload.ts'

export type CostCommand =
  | { command: 'help' }
  | { command: 'prices' }
  | { command: 'compare'; options: CostOptions }

// The load the cost comparison starts from when none is given: 10,000 orders a month.
const defaultOrdersPerMonth = 10_000

const flags = {
  'orders-per-month': { type: 'string' },
  rate: { type: 'string' },
  'processing-ms': { type: 'string' },
  concurrency: { type: 'string' },
  'pollers-per-task': { type: 'string' },
  'sqs-requests-per-order': { type: 'string' },
  'lambda-memory-mb': { type: 'string' },
  'lambda-arch': { type: 'string' },
  'order-kb': { type: 'string' },
  'spot-discount': { type: 'string' },
  'status-polls': { type: 'string' },
  prices: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

// Manifests give the defaults: the processor's size, PROCESSOR_CONCURRENCY and PROCESSING_TIME_MS.
export function parseCostArgs(
  argv: string[],
  manifests: { processor: ServiceSize; receiver: ServiceSize },
  spotDiscount: number,
): CostCommand {
  const values = flagValues(argv)
  if (values.help) return { command: 'help' }
  if (values.prices) return { command: 'prices' }
  if (values['orders-per-month'] !== undefined && values.rate !== undefined) {
    throw new Error('give --orders-per-month or --rate, not both')
  }
  const rate = flag(values.rate, '--rate', 'nonNegative')
  const arch = values['lambda-arch'] ?? 'x86_64'
  if (arch !== 'x86_64' && arch !== 'arm64') {
    throw new Error(`--lambda-arch must be x86_64 or arm64, got "${arch}"`)
  }
  const memory = flag(values['lambda-memory-mb'], '--lambda-memory-mb', 'whole') ?? 128
  if (memory < 128 || memory > 10_240) {
    throw new Error(`--lambda-memory-mb must be between 128 and 10240, got "${memory}"`)
  }
  const discount = flag(values['spot-discount'], '--spot-discount', 'nonNegative') ?? spotDiscount
  if (discount >= 1) throw new Error(`--spot-discount must be below 1, got "${discount}"`)
  const concurrency =
    flag(values.concurrency, '--concurrency', 'whole') ??
    numericVariable(manifests.processor, 'PROCESSOR_CONCURRENCY')
  return {
    command: 'compare',
    options: {
      ordersPerMonth:
        rate === undefined
          ? (flag(values['orders-per-month'], '--orders-per-month', 'nonNegative') ??
            defaultOrdersPerMonth)
          : ordersPerMonthAt(rate),
      processingMs:
        flag(values['processing-ms'], '--processing-ms') ??
        numericVariable(manifests.processor, 'PROCESSING_TIME_MS'),
      concurrency,
      // An idle task keeps one long poll open per poller, as many as the processor runs.
      pollersPerTask:
        flag(values['pollers-per-task'], '--pollers-per-task', 'whole') ?? pollersFor(concurrency),
      sqsRequestsPerOrder:
        flag(values['sqs-requests-per-order'], '--sqs-requests-per-order', 'nonNegative') ?? 2,
      lambdaMemoryMb: memory,
      lambdaArch: arch,
      orderKb: flag(values['order-kb'], '--order-kb') ?? 1,
      spotDiscount: discount,
      // One GET after the 202, as the README's Try it does.
      statusPolls: flag(values['status-polls'], '--status-polls', 'nonNegative') ?? 1,
      ...manifests,
    },
  }
}

// node:util's messages can span lines; the CLI promises one.
function flagValues(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: flags, strict: true }).values
  } catch (err) {
    throw new Error((err as Error).message.replace(/\s*\n\s*/g, ' '))
  }
}

const rules = {
  positive: { says: 'a number > 0', holds: (v: number) => v > 0 },
  nonNegative: { says: 'a number >= 0', holds: (v: number) => v >= 0 },
  whole: { says: 'a whole number > 0', holds: (v: number) => v > 0 && Number.isInteger(v) },
}

// A numeric flag, or undefined when it is not given.
function flag(raw: string | undefined, name: string, rule: keyof typeof rules = 'positive') {
  if (raw === undefined) return undefined
  const value = raw.trim() === '' ? Number.NaN : Number(raw)
  if (!Number.isFinite(value) || !rules[rule].holds(value)) {
    throw new Error(`${name} must be ${rules[rule].says}, got "${raw}"`)
  }
  return value
}
