import { postOrder } from '@orders/stack/service-process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ComposeStack, composeStack } from './compose-stack.ts'
import { imageAvailable } from './docker.ts'

const image = 'localstack/localstack:4.14.0'

describe('the compose stack with LocalStack 4.14.0 (the default)', () => {
  let missing: string | undefined
  let stack: ComposeStack | undefined

  beforeAll(async () => {
    missing = await imageAvailable(image)
    if (missing) {
      console.warn(`SKIPPED the LocalStack compose test: ${missing}`)
      return
    }
    stack = await composeStack('localstack')
    await stack.up()
  }, 900_000)

  afterAll(() => stack?.down(), 180_000)

  it('when it is up, then an async order is completed by the processor', async (ctx) => {
    if (!stack) return ctx.skip(`LocalStack's image cannot be had: ${missing}`)
    const up = stack
    expect((await postOrder(up.receiverUrl, 'localstack-001')).status).toBe(202)
    await expect
      .poll(async () => (await up.completions()).map((c) => c.orderId), { timeout: 60_000 })
      .toContain('localstack-001')
  })
})
