import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newOrder } from '@orders/order/order'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invokeInFreshProcess, snsEvent } from '../../bench/lambda-invoke.ts'
import { buildLambda, type LambdaBundle } from '../../build/lambda.ts'

const outdir = mkdtempSync(join(tmpdir(), 'lambda-bundle-'))
let bundle: LambdaBundle
beforeAll(async () => {
  bundle = await buildLambda(outdir)
})
afterAll(() => rmSync(outdir, { recursive: true, force: true }))

const order = newOrder({
  order_id: 'bundle-1',
  customer_id: 4,
  items: [{ product_id: 'B', quantity: 2, price: 3.5 }],
})

describe('Lambda bundle (npm run build:lambda)', () => {
  it('when built, then it is one module and its source map, without the emulation or an AWS SDK', () => {
    expect(readdirSync(outdir).sort()).toEqual(['index.mjs', 'index.mjs.map'])
    const code = readFileSync(bundle.file, 'utf8')
    for (const absent of ['sqs-consumer', 'ReceiveMessage', 'lambda-delivery', 'express']) {
      expect(code, absent).not.toContain(absent)
    }
    // The budget that keeps an accidental import (an AWS SDK client, the HTTP app) from slipping in.
    expect(bundle.bytes).toBeLessThan(512 * 1024)
  })

  it('when Lambda invokes index.handler with an SNS event, then the order completes and is logged', async () => {
    const event = snsEvent([JSON.stringify(order)])
    const run = await invokeInFreshProcess(bundle.file, event, { PROCESSING_TIME_MS: '1' })
    expect(run.error).toBeUndefined()
    expect(run.logs).toEqual([
      expect.objectContaining({
        msg: 'order completed',
        orderId: 'bundle-1',
        messageId: event.Records[0]?.Sns.MessageId,
        requestId: 'fresh-run',
        status: 'completed',
      }),
    ])
    // Powertools survives bundling: the invocation's metrics are one EMF line.
    expect(run.metrics).toEqual([
      expect.objectContaining({ _aws: expect.any(Object), orders_processed_total: 1 }),
    ])
  })

  it('when the record is poison, then the invocation fails and the stack maps back to the TypeScript', async () => {
    const run = await invokeInFreshProcess(bundle.file, snsEvent(['not an order']), {}, [
      '--enable-source-maps',
    ])
    expect(run.error).toMatchObject({ name: 'PoisonRecordError' })
    expect(run.error?.stack).toContain('sns-handler.ts')
    expect(run.logs).toEqual([
      expect.objectContaining({ msg: 'poison record', reason: 'SNS message is not JSON' }),
    ])
  })
})
