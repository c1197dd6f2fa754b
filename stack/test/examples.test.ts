import { describe, expect, it } from 'vitest'
import { curlExamples } from '../src/examples.ts'
import { tryItCommands } from './markdown.ts'

const examples = curlExamples('http://localhost:8080')

describe('the curl examples make up prints', () => {
  it('when the async order is posted, then the next example GETs its status at the URL its 202 names', () => {
    const post = examples.findIndex((line) =>
      line.includes('-X POST http://localhost:8080/orders/async'),
    )
    const body = /-d '([^']+)'/.exec(examples[post] ?? '')?.[1] ?? '{}'
    const { order_id } = JSON.parse(body) as { order_id?: string }
    expect(order_id).toBe('002')
    expect(examples[post + 1]).toBe(`curl -s http://localhost:8080/orders/${order_id}`)
  })

  it('when the README shows Try it, then each of its curls is one make up prints, character for character', () => {
    const readme = tryItCommands()
    expect(readme.length).toBeGreaterThanOrEqual(3)
    expect(readme.filter((line) => !examples.includes(line))).toEqual([])
  })
})
