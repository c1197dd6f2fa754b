import { parseArgs } from 'node:util'
import { numericVariable, type ServiceSize } from './manifest.ts'
import { type CostOptions, ordersPerMonthAt } from './workload.ts'

export type CostCommand =
  | { command: 'help' }
  | { command: 'prices' }
  | { command: 'compare'; options: CostOptions }

// The original project's load: 10,000 orders a month.
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
  const rate = number(values.rate, '--rate', 0)
  const arch = values['lambda-arch'] ?? 'x86_64'
  if (arch !== 'x86_64' && arch !== 'arm64') {
    throw new Error(`--lambda-arch must be x86_64 or arm64, got "${arch}"`)
  }
  const memory = integer(values['lambda-memory-mb'], '--lambda-memory-mb') ?? 128
  if (memory < 128 || memory > 10_240) {
    throw new Error(`--lambda-memory-mb must be between 128 and 10240, got "${memory}"`)
  }
  const discount = number(values['spot-discount'], '--spot-discount', 0) ?? spotDiscount
  if (discount >= 1) throw new Error(`--spot-discount must be below 1, got "${discount}"`)
  const concurrency =
    integer(values.concurrency, '--concurrency') ??
    numericVariable(manifests.processor, 'PROCESSOR_CONCURRENCY')
  return {
    command: 'compare',
    options: {
      ordersPerMonth:
        rate === undefined
          ? (number(values['orders-per-month'], '--orders-per-month', 0) ?? defaultOrdersPerMonth)
          : ordersPerMonthAt(rate),
      processingMs:
        number(values['processing-ms'], '--processing-ms') ??
        numericVariable(manifests.processor, 'PROCESSING_TIME_MS'),
      concurrency,
      pollersPerTask: integer(values['pollers-per-task'], '--pollers-per-task') ?? concurrency,
      sqsRequestsPerOrder:
        number(values['sqs-requests-per-order'], '--sqs-requests-per-order', 0) ?? 2,
      lambdaMemoryMb: memory,
      lambdaArch: arch,
      orderKb: number(values['order-kb'], '--order-kb') ?? 1,
      spotDiscount: discount,
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

function number(raw: string | undefined, flag: string, min = Number.MIN_VALUE) {
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || value < min) {
    throw new Error(`${flag} must be a number ${min === 0 ? '>= 0' : '> 0'}, got "${raw}"`)
  }
  return value
}

function integer(raw: string | undefined, flag: string) {
  const value = number(raw, flag)
  if (value !== undefined && !Number.isInteger(value)) {
    throw new Error(`${flag} must be a whole number, got "${raw}"`)
  }
  return value
}
