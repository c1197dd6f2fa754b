import { randomUUID } from 'node:crypto'
import { envelopeSchema } from '@orders/processor/envelope'
import type { SNSEvent, SNSMessageAttributes } from 'aws-lambda'
import { z } from 'zod'

// What SNS hands Lambda is the notification an SQS subscriber sees as its body, with two keys
// spelled differently (SigningCertUrl, UnsubscribeUrl) and wrapped in a record.
const notificationSchema = envelopeSchema.extend({
  Timestamp: z.string().default(() => new Date().toISOString()),
  SignatureVersion: z.string().default('1'),
  Signature: z.string().default(''),
  SigningCertURL: z.string().default(''),
  UnsubscribeURL: z.string().default(''),
})

// Part of the emulation of SNS -> Lambda delivery. A body that is no SNS notification (someone
// wrote to the queue directly) is passed on as the message, so the function judges it as poison.
export function snsEventFromBody(body: string | undefined, subscriptionId: string): SNSEvent {
  const parsed = notificationSchema.safeParse(parseJson(body))
  const n = parsed.success
    ? parsed.data
    : notificationSchema.parse({
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: 'arn:aws:sns:local:000000000000:not-a-notification',
        Message: body ?? '',
      })
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${n.TopicArn}:${subscriptionId}`,
        Sns: {
          Type: n.Type,
          MessageId: n.MessageId,
          TopicArn: n.TopicArn,
          ...(n.Subject ? { Subject: n.Subject } : {}),
          Message: n.Message,
          Timestamp: n.Timestamp,
          SignatureVersion: n.SignatureVersion,
          Signature: n.Signature,
          SigningCertUrl: n.SigningCertURL,
          UnsubscribeUrl: n.UnsubscribeURL,
          MessageAttributes: (n.MessageAttributes ?? {}) as SNSMessageAttributes,
        },
      },
    ],
  }
}

function parseJson(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? '')
  } catch {
    return undefined
  }
}

export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded'
export type FunctionError = { errorType: string; errorMessage: string }

export type Failure = {
  event: SNSEvent
  condition: FailureCondition
  attempts: number
  requestId: string
  functionArn: string
  error: FunctionError | undefined
}

// The invocation record Lambda sends an on-failure destination: the event as it was given to the
// function, why it was given up, and the last error.
export function failureRecord({
  event,
  condition,
  attempts,
  requestId,
  functionArn,
  error,
}: Failure) {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId, functionArn, condition, approximateInvokeCount: attempts },
    requestPayload: event,
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(error ? { functionError: 'Unhandled' } : {}),
    },
    ...(error ? { responsePayload: error } : {}),
  }
}

export function functionError(err: unknown): FunctionError {
  if (err instanceof Error) return { errorType: err.name, errorMessage: err.message }
  return { errorType: 'Error', errorMessage: String(err) }
}
