import { ALB_IDLE_TIMEOUT_MS, parseConfig } from '@orders/receiver/config'
import { describe, expect, it } from 'vitest'
import { readYaml, receiverManifest } from './copilot.ts'
import { readPatches, stacks } from './copilot-patch.ts'

const receiver = receiverManifest.parse(readYaml('copilot/receiver/manifest.yml'))
const settings = parseConfig({
  ...receiver.variables,
  COPILOT_SNS_TOPIC_ARNS: JSON.stringify({ orders: 'arn:aws:sns:us-east-1:1:orders' }),
  ORDERS_TABLE_NAME: 'orders-dev-orders',
})

// Copilot v1.34.1 sets no idle timeout on the environment's PublicLoadBalancer (environment/cf.yml
// in aws/copilot-cli writes only its access_logs attributes), so it has AWS's default unless a
// patch of the environment's template sets idle_timeout.timeout_seconds.
function albIdleTimeoutMs(): number {
  const text = JSON.stringify(readPatches(stacks.environment.patches))
  const patched = /"Key":"idle_timeout\.timeout_seconds","Value":"?(\d+)/.exec(text)?.[1]
  return patched === undefined ? ALB_IDLE_TIMEOUT_MS : Number(patched) * 1000
}

describe('receiver timeouts behind the load balancer', () => {
  it('when the ALB reuses an idle connection, then the receiver has not closed it: keep-alive above the idle timeout', () => {
    expect(receiver.variables.KEEP_ALIVE_TIMEOUT_MS).toBeDefined()
    expect(settings.keepAliveTimeoutMs).toBeGreaterThan(albIdleTimeoutMs())
  })

  it('when a request arrives at the end of a kept-alive idle time, then its headers are still awaited', () => {
    expect(receiver.variables.HEADERS_TIMEOUT_MS).toBeDefined()
    expect(settings.headersTimeoutMs).toBeGreaterThan(settings.keepAliveTimeoutMs)
  })

  it('when a sync order waits a full queue and pays, then it is answered before the ALB gives up on it', () => {
    const rounds = Math.ceil(settings.syncQueueLimit / settings.syncConcurrency) + 1
    expect(rounds * settings.processingTimeMs).toBeLessThan(albIdleTimeoutMs())
  })
})
