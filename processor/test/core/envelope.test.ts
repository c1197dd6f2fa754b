import { describe, expect, it } from 'vitest'
import { unwrapEnvelope } from '../../src/core/envelope.ts'

const awsEnvelope = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
  Message: '{"order_id":"001"}',
  Timestamp: '2026-01-02T03:04:05.678Z',
  SignatureVersion: '1',
}

describe('SNS envelope', () => {
  it('when AWS omits Subject and MessageAttributes, then the message is unwrapped', () => {
    expect(unwrapEnvelope(JSON.stringify(awsEnvelope))).toEqual({
      ok: true,
      message: '{"order_id":"001"}',
      messageId: awsEnvelope.MessageId,
    })
  })

  it('when fauxqs writes Subject null and empty MessageAttributes, then it is unwrapped too', () => {
    const body = JSON.stringify({ ...awsEnvelope, Subject: null, MessageAttributes: {} })
    expect(unwrapEnvelope(body)).toMatchObject({ ok: true })
  })

  it('when message attributes are present, then they do not get in the way', () => {
    const MessageAttributes = { order_id: { Type: 'String', Value: '001' } }
    expect(unwrapEnvelope(JSON.stringify({ ...awsEnvelope, MessageAttributes }))).toMatchObject({
      ok: true,
    })
  })

  it.each([
    ['not JSON', 'hello', 'body is not JSON'],
    ['empty', undefined, 'body is not JSON'],
    [
      'a raw order (raw delivery on)',
      '{"order_id":"001"}',
      'body is not an SNS notification envelope',
    ],
    [
      'a subscription confirmation',
      JSON.stringify({ ...awsEnvelope, Type: 'SubscriptionConfirmation' }),
      'body is not an SNS notification envelope',
    ],
    [
      'an envelope without Message',
      JSON.stringify({ ...awsEnvelope, Message: undefined }),
      'body is not an SNS notification envelope',
    ],
  ])('when the body is %s, then it is refused with a reason', (_case, body, reason) => {
    expect(unwrapEnvelope(body)).toEqual({ ok: false, reason })
  })
})
