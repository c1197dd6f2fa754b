import { describe, expect, it } from 'vitest'
import { type Backoff, createBackoff } from '../../src/worker/backoff.ts'
import { createStoreHealth } from '../../src/worker/store-health.ts'
import { capturingLogger } from '../log-lines.ts'

// A receiver's real backoff (no jitter, so a wait ends at once), with what was asked of it.
function recordedBackoff() {
  const real = createBackoff(() => 0)
  const calls: string[] = []
  const backoff: Backoff = {
    wait: () => {
      calls.push('wait')
      return real.wait()
    },
    failed: () => {
      calls.push('failed')
      real.failed()
    },
    succeeded: () => {
      calls.push('succeeded')
      real.succeeded()
    },
    cancel: () => real.cancel(),
  }
  return { backoff, calls }
}

describe('the orders table health the receivers back off by', () => {
  it('when the table fails, then every wait of a receiver adds one step to its backoff', async () => {
    const health = createStoreHealth(capturingLogger().logger)
    const receiver = recordedBackoff()
    health.failed(new Error('table down'))
    await health.wait(receiver.backoff)
    await health.wait(receiver.backoff)
    expect(receiver.calls).toEqual(['failed', 'wait', 'failed', 'wait'])
  })

  it('when the table answers again, then each receiver that waited is reset, once', async () => {
    const health = createStoreHealth(capturingLogger().logger)
    const [one, two] = [recordedBackoff(), recordedBackoff()]
    health.failed(new Error('table down'))
    await health.wait(one.backoff)
    await health.wait(two.backoff)

    health.succeeded()
    health.succeeded()
    expect(one.calls).toEqual(['failed', 'wait', 'succeeded'])
    expect(two.calls).toEqual(['failed', 'wait', 'succeeded'])
    await health.wait(one.backoff)
    expect(one.calls.at(-1)).toBe('wait')
    expect(one.calls.filter((call) => call === 'failed')).toHaveLength(1)
  })

  it('when the table never failed, then a wait adds no step and an answer resets nothing', async () => {
    const health = createStoreHealth(capturingLogger().logger)
    const receiver = recordedBackoff()
    await health.wait(receiver.backoff)
    health.succeeded()
    expect(receiver.calls).toEqual(['wait'])
  })
})
