// An SQS body as Copilot's subscription delivers it: the SNS envelope around the message text
// (an order object is written as its JSON).
export function sqsBody(message: unknown): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'sns-1',
    TopicArn: 'arn:t',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
  })
}
