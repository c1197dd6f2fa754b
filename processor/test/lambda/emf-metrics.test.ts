import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createEmfMetrics } from '../../src/lambda/emf-metrics.ts'
import { capturingLogger } from '../log-lines.ts'

// The embedded metric format as its specification states it (Amazon CloudWatch User Guide,
// "Specification: Embedded metric format"): the objects it defines have no other members, a
// directive names at most 30 dimensions and 100 metrics, and every name a directive uses is a
// member of the root object: a dimension's value a string, a metric's a number or up to 100.
const units = ['Seconds', 'Milliseconds', 'Count', 'None'] as const
const directive = z.strictObject({
  Namespace: z.string().min(1).max(1024),
  Dimensions: z.array(z.array(z.string().min(1)).max(30)),
  Metrics: z
    .array(z.strictObject({ Name: z.string().min(1), Unit: z.enum(units).optional() }))
    .max(100),
})
const emfLine = z.looseObject({
  _aws: z.strictObject({ Timestamp: z.number().int(), CloudWatchMetrics: z.array(directive) }),
})

function emfWith() {
  const { logger, logs } = capturingLogger()
  const lines: string[] = []
  const metrics = createEmfMetrics({ namespace: 'Orders', logger, write: (l) => lines.push(l) })
  const read = (i: number) => {
    const line = emfLine.parse(JSON.parse(lines[i] ?? ''))
    for (const { Dimensions, Metrics } of line._aws.CloudWatchMetrics) {
      for (const name of Dimensions.flat()) expect(line[name], name).toEqual(expect.any(String))
      for (const { Name } of Metrics) {
        const value = z.union([z.number(), z.array(z.number()).min(1).max(100)])
        expect(value.safeParse(line[Name]).success, Name).toBe(true)
      }
    }
    return line
  }
  return { metrics, lines, read, logs }
}

describe('EMF metrics (the Lambda function)', () => {
  it('when an invocation completes an order, then its one line is valid EMF with every counter', () => {
    const { metrics, lines, read, logs } = emfWith()
    metrics.started()
    metrics.settled()
    metrics.completed({ processingSeconds: 0.25, endToEndSeconds: 1.5 })
    metrics.flush()
    expect(lines).toHaveLength(1)
    const line = read(0)
    expect(Math.abs(line._aws.Timestamp - Date.now())).toBeLessThan(60_000)
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Orders',
        Dimensions: [['service']],
        Metrics: expect.arrayContaining([
          { Name: 'orders_processed_total', Unit: 'Count' },
          { Name: 'orders_duplicate_total', Unit: 'Count' },
          { Name: 'orders_failed_total', Unit: 'Count' },
          { Name: 'orders_poison_total', Unit: 'Count' },
          { Name: 'orders_in_flight', Unit: 'Count' },
          { Name: 'order_processing_duration_seconds', Unit: 'Seconds' },
          { Name: 'order_end_to_end_seconds', Unit: 'Seconds' },
        ]),
      },
    ])
    expect(line).toMatchObject({
      service: 'processor',
      orders_processed_total: 1,
      orders_duplicate_total: 0,
      orders_failed_total: 0,
      orders_poison_total: 0,
      orders_in_flight: 1,
      order_processing_duration_seconds: 0.25,
      order_end_to_end_seconds: 1.5,
    })
    expect(logs).toEqual([])
  })

  it('when one invocation sees several orders, then durations are listed and counts summed', () => {
    const { metrics, read } = emfWith()
    for (const seconds of [0.1, 0.2]) {
      metrics.started()
      metrics.completed({ processingSeconds: seconds, endToEndSeconds: seconds })
    }
    metrics.started()
    metrics.poison()
    metrics.flush()
    expect(read(0)).toMatchObject({
      orders_processed_total: 2,
      orders_poison_total: 1,
      orders_in_flight: [1, 2, 3],
      order_processing_duration_seconds: [0.1, 0.2],
    })
  })

  it('when a second invocation follows, then its line starts from zero', () => {
    const { metrics, read } = emfWith()
    metrics.duplicate()
    metrics.flush()
    metrics.failed()
    metrics.flush()
    expect(read(0)).toMatchObject({ orders_duplicate_total: 1, orders_failed_total: 0 })
    expect(read(1)).toMatchObject({ orders_duplicate_total: 0, orders_failed_total: 1 })
    expect(read(1)).not.toHaveProperty('order_processing_duration_seconds')
  })
})
