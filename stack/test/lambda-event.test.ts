import { describe, expect, it } from 'vitest'
import { snsEventFromBody } from '../src/lambda/event.ts'

describe('SNS event from an SQS body', () => {
  it('when fauxqs writes Subject null, then the record has no Subject and AWS spellings', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
      Message: 'hello',
      Subject: null,
      MessageAttributes: {},
      SigningCertURL: 'https://cert',
      UnsubscribeURL: 'https://unsubscribe',
    })
    const [record] = snsEventFromBody(body, 'sub').Records
    expect(record).toMatchObject({
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:orders:sub',
      Sns: {
        MessageId: 'm-1',
        Message: 'hello',
        SigningCertUrl: 'https://cert',
        UnsubscribeUrl: 'https://unsubscribe',
      },
    })
    expect(record?.Sns).not.toHaveProperty('Subject')
  })

  it('when the body is no SNS notification, then it is passed on as the message for the function to judge', () => {
    expect(snsEventFromBody('raw text', 'sub').Records[0]?.Sns.Message).toBe('raw text')
  })
})
