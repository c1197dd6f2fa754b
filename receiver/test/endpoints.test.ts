import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { receiverEnv, recordsOn, useLocalAws } from './local-aws.ts'
import { startReceiver } from './receiver-process.ts'

const local = useLocalAws()

// The receiver passes no endpoint to its DynamoDB client: the SDK reads its own variables. Each
// test checks the record in the emulator's table itself, so a client that went elsewhere fails.
describe("the receiver process and the SDK's endpoint variables", () => {
  it('when AWS_ENDPOINT_URL_DYNAMODB names the table emulator, then DynamoDB goes there and SNS to AWS_ENDPOINT_URL', async () => {
    const receiver = await startReceiver(receiverEnv(local))
    try {
      const orderId = randomUUID()
      const accepted = await receiver.postOrder('/orders/async', orderId)
      expect(accepted.status).toBe(202)
      const status = await fetch(`${receiver.base}${accepted.headers.get('location')}`)
      expect(status.status).toBe(200)
      expect((await recordsOn(local).get(orderId))?.status).toBe('pending')
    } finally {
      receiver.process.kill('SIGKILL')
    }
  })

  it('when only AWS_ENDPOINT_URL is set, then DynamoDB goes there too', async () => {
    const { AWS_ENDPOINT_URL_DYNAMODB: dynamo, ...env } = receiverEnv(local)
    const receiver = await startReceiver({
      ...env,
      AWS_ENDPOINT_URL: dynamo,
      PROCESSING_TIME_MS: '1',
    })
    try {
      const orderId = randomUUID()
      expect((await receiver.postOrder('/orders/sync', orderId)).status).toBe(200)
      expect((await recordsOn(local).get(orderId))?.status).toBe('completed')
    } finally {
      receiver.process.kill('SIGKILL')
    }
  })
})
