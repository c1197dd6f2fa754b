import { ListQueuesCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awsClients } from '../src/aws.ts'
import { startEmulator } from '../src/emulator.ts'
import type { Emulator } from '../src/emulator-handle.ts'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.stop())

describe('AWS clients', () => {
  it('when an endpoint is set without credentials, then placeholders sign for the emulator', async () => {
    const { sqs, sns } = awsClients({ AWS_ENDPOINT_URL: emulator.endpoint })
    try {
      await expect(sqs.send(new ListQueuesCommand({}))).resolves.toBeDefined()
    } finally {
      sqs.destroy()
      sns.destroy()
    }
  })

  it('when credentials are set, then they are used as they are', async () => {
    const env = {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_ACCESS_KEY_ID: 'mine',
      AWS_SECRET_ACCESS_KEY: 'secret',
    }
    const { sqs, sns } = awsClients(env)
    try {
      expect((await sqs.config.credentials()).accessKeyId).toBe('mine')
    } finally {
      sqs.destroy()
      sns.destroy()
    }
  })
})
