import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newOrder } from '@orders/order/order'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildLambda, type LambdaBundle } from '../../build/lambda.ts'
import { invokeInFreshProcess, snsEvent } from '../../testing/lambda-invoke.ts'
import { useFunctionTable } from './table-env.ts'

const outdir = mkdtempSync(join(tmpdir(), 'lambda-bundle-'))
let bundle: LambdaBundle
beforeAll(async () => {
  bundle = await buildLambda(outdir)
})
afterAll(() => rmSync(outdir, { recursive: true, force: true }))
const functionTable = useFunctionTable()

const order = newOrder({
  order_id: 'bundle-1',
  customer_id: 4,
  items: [{ product_id: 'B', quantity: 2, price: 3.5 }],
})

describe('Lambda bundle (npm run build:lambda)', () => {
  it('when built, then it is one module and its source map, with no SDK client but DynamoDB, no emulation, no HTTP app', () => {
    expect(readdirSync(outdir).sort()).toEqual(['index.mjs', 'index.mjs.map'])
    const code = readFileSync(bundle.file, 'utf8')
    expect(code).not.toContain('ReceiveMessage')
    // The map names every module bundled: the ones the function must never load are absent.
    const { sources } = JSON.parse(readFileSync(`${bundle.file}.map`, 'utf8')) as {
      sources: string[]
    }
    expect(sources.some((source) => source.includes('/@aws-sdk/client-dynamodb/'))).toBe(true)
    const forbidden =
      /\/(sqs-consumer|express|fauxqs|dynalite|@aws-sdk\/client-(?!dynamodb))|stack\/src\//
    expect(sources.filter((source) => forbidden.test(source))).toEqual([])
    // The budget that keeps an accidental import (another AWS SDK client, the HTTP app) from
    // slipping in: the DynamoDB client and its share of the SDK are about 520 KiB of it.
    expect(bundle.bytes).toBeLessThan(1024 * 1024)
  })

  it('when Lambda invokes index.handler with an SNS event, then the order completes and is logged', async () => {
    const { env, store } = await functionTable()
    const event = snsEvent([JSON.stringify(order)])
    const run = await invokeInFreshProcess(bundle.file, event, { ...env, PROCESSING_TIME_MS: '1' })
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
    expect(await store.get('bundle-1')).toMatchObject({ status: 'completed' })
    // Powertools survives bundling: the invocation's metrics are one EMF line.
    expect(run.metrics).toEqual([
      expect.objectContaining({ _aws: expect.any(Object), orders_processed_total: 1 }),
    ])
  })

  it('when the record is poison, then the invocation fails and the stack maps back to the TypeScript', async () => {
    const { env } = await functionTable()
    const run = await invokeInFreshProcess(bundle.file, snsEvent(['not an order']), env, [
      '--enable-source-maps',
    ])
    expect(run.error).toMatchObject({ name: 'PoisonRecordError' })
    expect(run.error?.stack).toContain('sns-handler.ts')
    expect(run.logs).toEqual([
      expect.objectContaining({ msg: 'poison record', reason: 'SNS message is not JSON' }),
    ])
  })
})
