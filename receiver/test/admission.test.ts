import { describe, expect, it } from 'vitest'
import { createLimit, createSlots } from '../src/admission.ts'
import { createMetrics } from '../src/metrics.ts'

// The two admission rules on their own, with the receiver's real gauges: sync payments wait for
// a slot in a bounded queue; async publishes are bounded and never wait.
function gated<T>(value: T) {
  let open = () => {}
  let fail = (_err: Error) => {}
  let runs = 0
  const opened = new Promise<T>((resolve, reject) => {
    open = () => resolve(value)
    fail = reject
  })
  const work = () => {
    runs += 1
    return opened
  }
  return { work, open: () => open(), fail: (err: Error) => fail(err), runs: () => runs }
}

const gauge = async (metric: ReturnType<typeof createMetrics>['syncWaiting']) =>
  (await metric.get()).values[0]?.value

function slotsOf(concurrency: number, queueLimit: number) {
  const metrics = createMetrics()
  const admit = createSlots({ concurrency, queueLimit, metrics })
  const gauges = async () => ({
    inFlight: await gauge(metrics.syncInFlight),
    waiting: await gauge(metrics.syncWaiting),
  })
  return { admit, gauges, payment: gated('paid') }
}

const stays = () => new AbortController().signal

describe('sync payment slots', () => {
  it('when the client has already left, then the work never runs and nothing is counted', async () => {
    const { admit, gauges, payment } = slotsOf(1, 1)
    expect(await admit(payment.work, AbortSignal.abort())).toEqual({ outcome: 'left' })
    expect(payment.runs()).toBe(0)
    expect(await gauges()).toEqual({ inFlight: 0, waiting: 0 })
  })

  it('when the slot and the queue are full, then the next is overloaded at once', async () => {
    const { admit, gauges, payment } = slotsOf(1, 1)
    const running = admit(payment.work, stays())
    const waiting = admit(payment.work, stays())
    expect(await gauges()).toEqual({ inFlight: 1, waiting: 1 })
    expect(await admit(payment.work, stays())).toEqual({ outcome: 'overloaded' })

    payment.open()
    const done = { outcome: 'done', value: 'paid', clientLeft: false }
    expect(await Promise.all([running, waiting])).toEqual([done, done])
    expect(payment.runs()).toBe(2)
    expect(await gauges()).toEqual({ inFlight: 0, waiting: 0 })
  })

  it('when a waiting client leaves, then its work never runs and its place is free again', async () => {
    const { admit, gauges, payment } = slotsOf(1, 1)
    const running = admit(payment.work, stays())
    const leaving = new AbortController()
    const waiting = admit(payment.work, leaving.signal)
    leaving.abort()
    expect(await waiting).toEqual({ outcome: 'left' })
    expect(await gauges()).toEqual({ inFlight: 1, waiting: 0 })
    const next = admit(payment.work, stays())
    expect(await gauges()).toEqual({ inFlight: 1, waiting: 1 })

    payment.open()
    expect((await Promise.all([running, next])).map((paid) => paid.outcome)).toEqual([
      'done',
      'done',
    ])
    expect(payment.runs()).toBe(2)
  })

  it('when the client leaves while its work runs, then the work finishes and says the client left', async () => {
    const { admit, gauges, payment } = slotsOf(1, 0)
    const leaving = new AbortController()
    const running = admit(payment.work, leaving.signal)
    expect(await gauges()).toEqual({ inFlight: 1, waiting: 0 })
    leaving.abort()
    expect(await admit(payment.work, stays())).toEqual({ outcome: 'overloaded' })
    payment.open()
    expect(await running).toEqual({ outcome: 'done', value: 'paid', clientLeft: true })
    expect(await gauges()).toEqual({ inFlight: 0, waiting: 0 })
  })

  it('when the work fails, then the error reaches the caller and the slot is free', async () => {
    const { admit, gauges, payment } = slotsOf(1, 0)
    const running = admit(payment.work, stays())
    payment.fail(new Error('card declined'))
    await expect(running).rejects.toThrow('card declined')
    expect(await gauges()).toEqual({ inFlight: 0, waiting: 0 })
    expect(await admit(async () => 'again', stays())).toMatchObject({ outcome: 'done' })
  })
})

describe('the publish limit', () => {
  function limitOf(limit: number) {
    const metrics = createMetrics()
    return { within: createLimit(limit, metrics.awaitingAck), metrics }
  }

  it('when the limit is reached, then one more is overloaded at once, and admitted again once one ends', async () => {
    const { within, metrics } = limitOf(2)
    const ack = gated({ messageId: 'm' })
    const first = within(ack.work)
    const second = within(ack.work)
    expect(await gauge(metrics.awaitingAck)).toBe(2)
    expect(await within(ack.work)).toEqual({ outcome: 'overloaded' })
    expect(ack.runs()).toBe(2)

    ack.open()
    expect(await Promise.all([first, second])).toEqual([
      { outcome: 'done', value: { messageId: 'm' } },
      { outcome: 'done', value: { messageId: 'm' } },
    ])
    expect(await gauge(metrics.awaitingAck)).toBe(0)
    expect(await within(async () => 'next')).toEqual({ outcome: 'done', value: 'next' })
  })

  it('when the work fails, then its place is given back', async () => {
    const { within, metrics } = limitOf(1)
    await expect(within(() => Promise.reject(new Error('SNS down')))).rejects.toThrow('SNS down')
    expect(await gauge(metrics.awaitingAck)).toBe(0)
    expect(await within(async () => 'after')).toEqual({ outcome: 'done', value: 'after' })
  })
})
