import { fileURLToPath } from 'node:url'
import { loadDotenv } from '@orders/stack/dotenv'
import { createDepthReader } from '../queue/depth.ts'
import { describeTarget, sqsClientFor } from '../queue/endpoint.ts'
import { readProcessedTotal } from '../queue/processed.ts'
import { type Command, parseLoadArgs, scenarioNames } from './args.ts'
import { runCompare } from './compare.ts'
import { readCompletions } from './completion.ts'
import { runLoad } from './run.ts'
import { scenarios } from './scenarios.ts'

const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url))
loadDotenv()

const usage = `usage: npm run load -- <scenario> [options]

scenarios:
${Object.entries(scenarios)
  .map(([name, s]) => `  ${name.padEnd(8)} ${s.description}`)
  .join('\n')}
  compare  sync then async with the same users; prints the ratios

options (defaults depend on the scenario):
  --host URL           receiver (default http://127.0.0.1:$RECEIVER_PORT, 8080)
  --users N            closed-loop users          --spawn-rate N   users added per second
  --duration S         seconds of load            --timeout S      per-request timeout
  --rate N             flash: orders per second   --out DIR        reports folder (./reports)
  --no-drain           do not wait for the queue to drain after an async run
  --drain-timeout S    longest wait for the drain (300)
  --endpoint URL       SQS endpoint for queue depth (default $AWS_ENDPOINT_URL, else the
                       embedded emulator when --host is local, else AWS)
  --aws                read the queue from AWS with the standard credentials
  --processor URL      processor metrics port to scrape for orders_processed_total and the
                       end-to-end latency histogram (local default
                       http://127.0.0.1:$PROCESSOR_METRICS_PORT, 9081)
  --queue, --dlq X     queue names or URLs (default orders-queue, orders-dlq; on AWS pass
                       the URLs of Copilot's EventsQueue and DeadLetterQueue)`

let command: Command
try {
  command = parseLoadArgs(process.argv.slice(2), process.env, root('reports'))
} catch (err) {
  console.error(`load: ${(err as Error).message}\n\n${usage}`)
  process.exit(2)
}
if (command.command === 'help') {
  console.log(usage)
  console.log(`\nscenarios: ${scenarioNames().join(', ')}`)
  process.exit(0)
}

const target = command.command === 'run' ? command.options : command.async
const sqs = sqsClientFor(target.endpoint)
const processor = target.processor
const stopping = new AbortController()
process.on('SIGINT', () => {
  if (stopping.signal.aborted) process.exit(130)
  console.log('\nstopping early; the report is still written (Ctrl-C again to quit now)')
  stopping.abort()
})
const deps = {
  readDepth: createDepthReader(sqs, target.queues),
  readProcessed: processor ? () => readProcessedTotal(processor) : undefined,
  readCompletions: processor ? () => readCompletions(processor) : undefined,
  progress: process.stdout,
  stop: stopping.signal,
}
console.log(
  `queue depth from ${describeTarget(target.endpoint)}; processor ${processor ?? 'not scraped'}`,
)

try {
  if (command.command === 'compare') {
    const result = await runCompare(command.sync, command.async, deps)
    console.log(`\n${result.text}\n\nReports: ${result.dir}`)
    const failed = result.sync.summary.totals.failures + result.async.summary.totals.failures
    process.exit(failed > 0 ? 1 : 0)
  }
  const { dir, table, summary } = await runLoad(command.options, deps)
  console.log(`\n${table}\n\nReport: ${dir}/report.html`)
  // Like Locust, any failed request makes the exit code 1.
  process.exit(summary.totals.failures > 0 ? 1 : 0)
} catch (err) {
  console.error(`load: ${(err as Error).message}`)
  process.exit(1)
}
