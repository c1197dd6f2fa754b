import { awsClients } from '@orders/stack/aws'
import { StoreUnavailableError } from '@orders/store/store'
import { describe, expect, it, onTestFinished } from 'vitest'
import { capturedLogs } from './captured-logs.ts'
import { startFailingProxy } from './failing-proxy.ts'
import { gatedPayment } from './gate.ts'
import { listenDuringTest, postOrder } from './http-client.ts'
import { recordsOn, useLocalAws } from './local-aws.ts'
import { receiverApp } from './receiver-app.ts'

// A write to the table that follows what already happened (a payment made, a publish that
// failed) may fail itself: the answer is the one the first step earned, and the line says which
// order an operator must look at.
const local = useLocalAws()

describe('POST /orders/sync, when the completion is not recorded', () => {
  it('when the completing write fails, then 200 paid, the record stays processing, and the error line names the order', async () => {
    const logs = capturedLogs()
    const table = recordsOn(local)
    const records = {
      ...table,
      complete: () =>
        Promise.reject(
          new StoreUnavailableError('complete', true, { cause: new Error('timed out') }),
        ),
    }
    const { app } = receiverApp(local, { records, logger: logs.logger })
    const { base } = await listenDuringTest(app)
    const sent = postOrder(base, '/orders/sync')

    const answer = await sent.answer
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ order_id: sent.orderId, status: 'completed' })
    expect(logs.line('paid, but the completed record was not written')).toMatchObject({
      level: 50,
      orderId: sent.orderId,
      err: expect.objectContaining({ type: 'StoreUnavailableError' }),
    })
    expect(await table.get(sent.orderId)).toMatchObject({ status: 'processing' })
  })

  it('when another payer took the order after the lease ended, then 200 paid, and the warning names the order', async () => {
    const logs = capturedLogs()
    const payment = gatedPayment()
    const { app, records } = receiverApp(local, {
      processOrder: payment.processOrder,
      logger: logs.logger,
      syncLeaseMs: 1,
    })
    const { base } = await listenDuringTest(app)
    const sent = postOrder(base, '/orders/sync')
    await expect.poll(() => payment.started).toEqual([sent.orderId])
    const claim = () =>
      records.claim({ orderId: sent.orderId, owner: 'processor-under-test', leaseMs: 30_000 })
    await expect.poll(async () => (await claim()).kind).toBe('claimed')

    payment.open()
    expect((await sent.answer).status).toBe(200)
    expect(logs.line('paid after the lease ended')).toMatchObject({
      level: 40,
      orderId: sent.orderId,
    })
    expect(logs.lines.map((line) => line.msg)).not.toContain(
      'paid, but the completed record was not written',
    )
    expect(await records.get(sent.orderId)).toMatchObject({
      status: 'processing',
      leaseOwner: 'processor-under-test',
    })
  })
})

describe('POST /orders/async, when a failed publish cannot be marked', () => {
  it('when the mark fails too, then 503 publish_failed, and a warning names the order', async () => {
    const logs = capturedLogs()
    const table = recordsOn(local)
    const records = {
      ...table,
      markUnpublished: () =>
        Promise.reject(new StoreUnavailableError('record', false, { cause: new Error('down') })),
    }
    const { app } = receiverApp(local, {
      records,
      logger: logs.logger,
      publishOrder: () => Promise.reject(new Error('SNS is away')),
    })
    const { base } = await listenDuringTest(app)
    const sent = postOrder(base, '/orders/async')

    const answer = await sent.answer
    expect([answer.status, answer.body.error]).toEqual([503, 'publish_failed'])
    expect(logs.line('publish failure not marked')).toMatchObject({
      level: 40,
      orderId: sent.orderId,
      err: expect.objectContaining({ type: 'StoreUnavailableError' }),
    })
    expect((await table.get(sent.orderId))?.lastError).toBeUndefined()
    // The answer is SNS's failure, not the table's.
    expect(logs.lines.map((line) => line.msg)).not.toContain('store unavailable')
  })
})

describe('the line of a request the table did not answer', () => {
  it('when the table is down, then 503 store_unavailable and a warning with the path and the error', async () => {
    const logs = capturedLogs()
    const proxy = await startFailingProxy(local.aws.dynamo.port)
    const { dynamodb } = awsClients({ ...local.aws.env, AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint })
    onTestFinished(async () => {
      dynamodb.destroy()
      await proxy.close()
    })
    proxy.down()
    const records = recordsOn(local, undefined, { client: dynamodb, timeoutMs: 300 })
    const { app } = receiverApp(local, { records, logger: logs.logger })
    const { base } = await listenDuringTest(app)

    const answer = await postOrder(base, '/orders/async').answer
    expect([answer.status, answer.body.error]).toEqual([503, 'store_unavailable'])
    expect(logs.line('store unavailable')).toMatchObject({
      level: 40,
      path: '/orders/async',
      err: expect.objectContaining({ type: 'StoreUnavailableError' }),
    })
  })
})
