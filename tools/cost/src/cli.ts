import { SLOTS_PER_POLLER } from '@orders/processor/pollers'
import { type CostCommand, parseCostArgs } from './args.ts'
import { breakEven, compare } from './compare.ts'
import { readDeployedSizes } from './manifest.ts'
import { prices } from './prices.ts'
import { renderComparison, renderPrices } from './table.ts'

const usage = `usage: npm run cost -- [options]

Prints what the processor costs a month as an ECS worker and as a Lambda function, what both
designs share, and the rate at which the two cost the same. Sizes come from copilot/*/manifest.yml.

  --orders-per-month N        load (default 10000)
  --rate R                    load in orders a second, instead of --orders-per-month
  --processing-ms MS          time one order takes (default: PROCESSING_TIME_MS in the manifest)
  --concurrency N             PROCESSOR_CONCURRENCY (default: the manifest's)
  --pollers-per-task N        consumers long-polling in each task (default: ⌈concurrency ÷ ${SLOTS_PER_POLLER}⌉)
  --sqs-requests-per-order N  SQS requests the worker makes per order (default 2: receive, delete)
  --lambda-memory-mb MB       128 to 10240 (default 128)
  --lambda-arch ARCH          x86_64 or arm64 (default x86_64)
  --order-kb KB               order size; SNS and SQS bill per started 64 KB (default 1)
  --spot-discount F           Fargate Spot discount off on-demand (default 0.7, AWS's "up to")
  --status-polls N            status GETs a client makes per order, each a table read (default 1)
  --prices                    list every price with its source, then exit`

function fail(message: string): never {
  console.error(`cost: ${message} (npm run cost -- --help)`)
  process.exit(2)
}

const manifests = await readDeployedSizes().catch((err: Error) => fail(err.message))

let command: CostCommand
try {
  command = parseCostArgs(process.argv.slice(2), manifests, prices.fargateSpotDiscount.value)
} catch (err) {
  fail((err as Error).message)
}

if (command.command === 'help') console.log(usage)
else if (command.command === 'prices') console.log(renderPrices(prices))
else {
  const o = command.options
  const result = compare(o, prices)
  const even = { list: breakEven(o, prices, false), afterFreeTier: breakEven(o, prices, true) }
  console.log(renderComparison(o, result, even))
}
