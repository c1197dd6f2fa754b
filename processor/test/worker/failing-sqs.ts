import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'

type Answer = 'fail' | 'empty'

const internalError = JSON.stringify({
  __type: 'com.amazonaws.sqs#InternalError',
  message: 'We encountered an internal error.',
})

// A real SQS client whose endpoint is in memory: the SDK signs, serializes and parses as usual,
// and every ReceiveMessage is answered from `script` (then 500 InternalError for good), at once
// and without a socket; `receivedAt` holds the Date.now() of each, so a test on fake timers sees
// exactly when the pool sent it.
export function failingSqs(script: Answer[] = []) {
  const receivedAt: number[] = []
  let warming = false
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The pool's own backoff is under test, not the SDK's retries.
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { headers: Record<string, string> }) {
        if (request.headers['x-amz-target'] !== 'AmazonSQS.ReceiveMessage') {
          throw new Error(`unexpected ${request.headers['x-amz-target']}`)
        }
        if (warming) return { response: { statusCode: 200, headers: {}, body: Buffer.from('{}') } }
        receivedAt.push(Date.now())
        const answer = script.shift() ?? 'fail'
        const headers = { 'content-type': 'application/x-amz-json-1.0' }
        const response =
          answer === 'empty'
            ? { statusCode: 200, headers, body: Buffer.from('{}') }
            : { statusCode: 500, headers, body: Buffer.from(internalError) }
        return { response }
      },
    },
  })
  // The SDK reads its shared config files on a client's first call: real I/O, which fake timers
  // would not wait for. One call on real timers gets that done before the test's clock starts.
  async function warm() {
    warming = true
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: 'http://127.0.0.1:1/000000000000/warm' }))
    warming = false
  }
  return { sqs, receivedAt, warm }
}
