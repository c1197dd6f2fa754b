import { fileURLToPath } from 'node:url'
import { loadDotenv } from '@orders/stack/dotenv'
import { describeTarget } from '../queue/endpoint.ts'
import { type Command, type LoadOptions, parseLoadArgs, scenarioNames } from './args.ts'
import { runCompare } from './compare.ts'
import { runLoad } from './run.ts'
import { scenarios } from './scenarios.ts'
import { sourcesFor } from './sources.ts'
import { serveWeb } from './web-server.ts'
import { createSession } from './web-session.ts'

const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url))
loadDotenv()

const usage = `usage: npm run load -- <scenario> [options]
       npm run load -- --web [options]     the live page, on http://127.0.0.1:8089

scenarios:
${Object.entries(scenarios)
  .map(([name, s]) => `  ${name.padEnd(8)} ${s.description}`)
  .join('\n')}
  compare  sync then async with the same users; prints the ratios

options (defaults depend on the scenario):
  --host URL           receiver (default http://127.0.0.1:$RECEIVER_PORT, 8080)
  --users N            closed-loop users          --spawn-rate N   users added per second
  --duration S         seconds of load            --timeout S      client timeout per request
  --rate N             flash: orders per second   --out DIR        reports folder (./reports)
  --no-drain           do not wait for the queue to drain after an async run
  --drain-timeout S    longest wait for the drain (300)
  --follow             async: poll each 202's Location, Retry-After apart, until the order
                       ends or the drain's deadline: time to completed as a client sees it
  --endpoint URL       SQS endpoint for queue depth (default $AWS_ENDPOINT_URL, else the
                       embedded emulator when --host is local, else AWS)
  --aws                read the queue from AWS with the standard credentials
  --processor URL      processor metrics port to scrape for orders_processed_total,
                       orders_in_flight and the end-to-end latency histogram (local default
                       http://127.0.0.1:$PROCESSOR_METRICS_PORT, 9081)
  --queue, --dlq X     queue names or URLs (default orders-queue, orders-dlq; on AWS pass
                       the URLs of Copilot's EventsQueue and DeadLetterQueue)
  --workers N          processors running (1)     the capacity line: workers × N ÷ T
  --concurrency N      slots per processor, N ($PROCESSOR_CONCURRENCY, else 10)
  --processing-ms T    payment time, T ($PROCESSING_TIME_MS, else 3000)

live page:
  --web                serve the page instead of running a scenario; the other options are
                       the defaults of every run started from it
  --web-port N         its port (8089)            --web-host H     its address (127.0.0.1)
  --allow-remote       allow a --web-host other than loopback`

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
if (command.command === 'web') await web(command)
else await headless(command)

async function headless(command: Extract<Command, { command: 'run' | 'compare' }>) {
  const target = command.command === 'run' ? command.options : command.async
  const stopping = new AbortController()
  process.on('SIGINT', () => {
    if (stopping.signal.aborted) process.exit(130)
    console.log('\nstopping early; the report is still written (Ctrl-C again to quit now)')
    stopping.abort()
  })
  const deps = { ...sourcesFor(target), progress: process.stdout, stop: stopping.signal }
  console.log(describeSources(target))
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
}

function describeSources(o: LoadOptions) {
  return `queue depth from ${describeTarget(o.endpoint)}; processor ${o.processor ?? 'not scraped'}`
}

// Serves until Ctrl-C; each run's lines also go to this terminal.
async function web({ web, argv }: Extract<Command, { command: 'web' }>): Promise<never> {
  const env = process.env
  const session = createSession({
    argv,
    env,
    defaultOut: root('reports'),
    sources: (options) => {
      console.log(`run on ${options.host}: ${describeSources(options)}`)
      return sourcesFor(options)
    },
    progress: process.stdout,
  })
  session.subscribe((event) => {
    if (event.type !== 'done') return
    const { outcome } = event
    if ('error' in outcome) console.error(`load: ${outcome.error}`)
    else console.log(`\n${outcome.table}\n\nReport: ${outcome.report}`)
  })
  const probe = parseLoadArgs(['async', ...argv], env, root('reports'))
  const host = probe.command === 'run' ? probe.options.host : ''
  const page = { host, scenarios: pageScenarios() }
  try {
    const server = await serveWeb(session, { ...web, page })
    console.log(`load: the live page is on ${server.url} (Ctrl-C to stop)`)
    process.once('SIGINT', async () => {
      console.log('\nstopping the page and any run')
      await Promise.all([session.close(), server.close()])
      process.exit(0)
    })
  } catch (err) {
    console.error(`load: cannot serve on ${web.host}:${web.port}: ${(err as Error).message}`)
    process.exit(1)
  }
  return new Promise<never>(() => {})
}

function pageScenarios() {
  const { sync, async, flash, normal } = scenarios
  return { async, sync, flash, normal }
}
