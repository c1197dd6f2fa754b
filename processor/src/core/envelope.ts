import { z } from 'zod'

// Copilot subscribes queues with raw delivery off, so every SQS body is this SNS envelope.
// fauxqs writes `"Subject": null` and `"MessageAttributes": {}` where AWS omits them; accept both.
export const envelopeSchema = z.object({
  Type: z.literal('Notification'),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Subject: z.string().nullish(),
  MessageAttributes: z.record(z.string(), z.unknown()).nullish(),
})

export type Unwrapped =
  | { ok: true; message: string; messageId: string }
  | { ok: false; reason: string }

export function unwrapEnvelope(body: string | undefined): Unwrapped {
  let json: unknown
  try {
    json = JSON.parse(body ?? '')
  } catch {
    return { ok: false, reason: 'body is not JSON' }
  }
  const envelope = envelopeSchema.safeParse(json)
  if (!envelope.success) return { ok: false, reason: 'body is not an SNS notification envelope' }
  return { ok: true, message: envelope.data.Message, messageId: envelope.data.MessageId }
}
