import { parseArgs } from 'node:util'
import { loadDotenv } from '@orders/stack/dotenv'
import { createDepthReader, type Depth, localQueues, type Queues } from './depth.ts'
import { describeTarget, queueEndpoint, sqsClientFor } from './endpoint.ts'

loadDotenv()

const usage = `usage: npm run queue -- [--watch] [--interval S] [--endpoint URL | --aws]
                          [--queue NAME|URL] [--dlq NAME|URL]
Prints the depth of the orders queue (visible, in flight) and of its DLQ, by default
${localQueues.queue} and ${localQueues.dlq}. The endpoint defaults to $AWS_ENDPOINT_URL, else the
embedded emulator (127.0.0.1:$EMULATOR_PORT); --aws reads AWS itself with the standard credentials
(there, pass the URLs of Copilot's EventsQueue and DeadLetterQueue).`

type Flags = { watch: boolean; interval: string; endpoint?: string; aws: boolean; help: boolean }
let values: Flags & { queue?: string; dlq?: string }
try {
  values = parseArgs({
    options: {
      watch: { type: 'boolean', short: 'w', default: false },
      interval: { type: 'string', default: '1' },
      endpoint: { type: 'string' },
      aws: { type: 'boolean', default: false },
      queue: { type: 'string' },
      dlq: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values
} catch (err) {
  console.error(`queue: ${(err as Error).message}\n\n${usage}`)
  process.exit(2)
}
const intervalS = Number(values.interval)
if (values.help || !(intervalS > 0)) {
  console.log(usage)
  process.exit(values.help ? 0 : 2)
}

const endpoint = queueEndpoint(values, process.env)
const queues: Queues = {
  queue: values.queue ?? localQueues.queue,
  dlq: values.dlq ?? localQueues.dlq,
}
const read = createDepthReader(sqsClientFor(endpoint), queues)
// A URL's last segment is the queue's name.
const names = { queue: nameOf(queues.queue), dlq: nameOf(queues.dlq) }
const where = describeTarget(endpoint)

if (!values.watch) {
  try {
    console.log(`${where}\n${depthText(await read())}`)
    process.exit(0)
  } catch (err) {
    console.error(`queue: cannot read ${names.queue} on ${where}: ${(err as Error).message}`)
    process.exit(1)
  }
}

console.log(`${where}: every ${intervalS} s, Ctrl-C to stop`)
let previous: { at: number; depth: Depth } | undefined
for (;;) {
  const at = Date.now()
  const line = await read().then(
    (depth) => {
      const text = depthText(depth, previous && rates(previous, { at, depth }))
      previous = { at, depth }
      return text
    },
    (err: Error) => `unavailable: ${err.message}`,
  )
  const stamp = new Date(at).toISOString().slice(11, 19)
  process.stdout.write(process.stdout.isTTY ? `\r\x1b[2K${stamp}  ${line}` : `${stamp}  ${line}\n`)
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, intervalS * 1000 - (Date.now() - at))),
  )
}

function depthText(depth: Depth, rate?: Depth): string {
  const change = (key: keyof Depth) => {
    if (!rate) return ''
    const value = rate[key]
    return ` (${value >= 0 ? '+' : ''}${value.toFixed(1)}/s)`
  }
  return [
    `${names.queue}: ${depth.visible} visible${change('visible')}`,
    `${depth.inFlight} in flight${change('inFlight')}`,
    `${names.dlq}: ${depth.dlq}${change('dlq')}`,
  ].join('   ')
}

function rates(before: { at: number; depth: Depth }, now: { at: number; depth: Depth }): Depth {
  const seconds = (now.at - before.at) / 1000 || 1
  return {
    visible: (now.depth.visible - before.depth.visible) / seconds,
    inFlight: (now.depth.inFlight - before.depth.inFlight) / seconds,
    dlq: (now.depth.dlq - before.depth.dlq) / seconds,
  }
}

function nameOf(queue: string): string {
  return queue.split('/').at(-1) || queue
}
