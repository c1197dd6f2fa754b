import { createPayment } from '@orders/order/payment'
import { pino } from 'pino'
import { type AppDeps, createApp } from '../src/app.ts'
import { createMetrics } from '../src/metrics.ts'
import { createOrderPublisher } from '../src/publisher.ts'
import { recordsOn, type useLocalAws } from './local-aws.ts'
import { recordingSns } from './sns-calls.ts'

// The app on the file's emulators: its table, and a recording SNS client publishing to its topic
// one order at a time, so `calls` holds one Publish per order that reached SNS.
export function receiverApp(
  local: ReturnType<typeof useLocalAws>,
  overrides: Partial<AppDeps> = {},
) {
  const metrics = overrides.metrics ?? createMetrics()
  const { sns, calls } = recordingSns(local.aws.env)
  const records = overrides.records ?? recordsOn(local, metrics)
  const app = createApp({
    records,
    publishOrder: createOrderPublisher({ sns, topicArn: local.queues.topicArn, timeoutMs: 2000 }),
    processOrder: createPayment(1),
    logger: pino({ level: 'silent' }),
    metrics,
    syncConcurrency: 20,
    ...overrides,
  })
  const published = (orderId: string) =>
    calls.filter((call) => String(call.input.Message).includes(`"order_id":"${orderId}"`)).length
  return { app, metrics, records, calls, published }
}
