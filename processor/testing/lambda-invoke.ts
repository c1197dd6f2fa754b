import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { pathToFileURL } from 'node:url'
import type { SNSEvent } from 'aws-lambda'

// An SNS event as Lambda hands it to a function subscribed to a topic, one record per message.
export function snsEvent(
  messages: string[],
  topicArn = 'arn:aws:sns:us-east-1:123456789012:t',
): SNSEvent {
  return {
    Records: messages.map((message) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: topicArn,
        Subject: undefined,
        Message: message,
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem',
        UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    })),
  }
}

export type FreshRun = {
  // From the process's start (performance.timeOrigin) to the first invocation settling.
  firstRecordMs: number
  rssBytes: number
  // The first invocation that threw.
  error: { name: string; message: string; stack: string } | undefined
  logs: Record<string, unknown>[]
  // The lines in CloudWatch's embedded metric format: JSON with an `_aws` member.
  metrics: Record<string, unknown>[]
}

const MARK = 'FRESH-RUN '

// A new Node process imports the module and invokes its `handler` with each event in turn, as a
// cold Lambda sandbox would: nothing loaded or compiled beforehand.
export async function invokeInFreshProcess(
  modulePath: string,
  events: SNSEvent | SNSEvent[],
  env: Record<string, string> = {},
  nodeOptions: string[] = [],
): Promise<FreshRun> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(modulePath).href)})
    let error
    let firstRecordMs
    for (const event of JSON.parse(process.env.EVENTS)) {
      try { await handler(event, { awsRequestId: 'fresh-run' }) }
      catch (err) { error ??= { name: err.name, message: err.message, stack: err.stack } }
      firstRecordMs ??= performance.now()
    }
    process.stdout.write('${MARK}' + JSON.stringify({ firstRecordMs, rssBytes: process.memoryUsage.rss(), error }) + '\\n')`
  const child = spawn(process.execPath, [...nodeOptions, '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, ...env, EVENTS: JSON.stringify([events].flat()) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  const [code] = await once(child, 'exit')
  const lines = out.split('\n').filter(Boolean)
  const result = lines.find((line) => line.startsWith(MARK))
  if (code !== 0 || !result) throw new Error(`fresh run exited with ${code}: ${out}`)
  const json = lines
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  return {
    ...(JSON.parse(result.slice(MARK.length)) as Omit<FreshRun, 'logs' | 'metrics'>),
    logs: json.filter((line) => !('_aws' in line)),
    metrics: json.filter((line) => '_aws' in line),
  }
}
