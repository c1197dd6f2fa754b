import { describe, expect, it } from 'vitest'
import { chartScript } from '../src/load/chart-script.ts'

type Placed = { left: number; row: number }
// The browser code defines functions only; this takes the label layout out of it.
const placeLabels = new Function(`${chartScript}; return placeLabels`)() as (
  marks: { x: number; width: number }[],
  right: number,
) => Placed[]

describe("the report's and the page's markers", () => {
  it('when the queue drains a second after the load stopped on a long chart, then the two labels take two rows', () => {
    // 'load stopped' and 'drained' 1.5 px apart, as on an 8-minute run that drained in 1.5 s.
    const [stopped, drained] = placeLabels(
      [
        { x: 300, width: 70 },
        { x: 301.5, width: 44 },
      ],
      1000,
    )
    expect(stopped?.row).toBe(0)
    expect(drained?.row).toBe(1)
  })

  it('when the two moments are far apart, then both labels stay on the first row', () => {
    const placed = placeLabels(
      [
        { x: 100, width: 70 },
        { x: 400, width: 44 },
      ],
      1000,
    )
    expect(placed.map((p) => p.row)).toEqual([0, 0])
  })

  it('when a label would run past the right edge, then it is drawn left of its line', () => {
    const [placed] = placeLabels([{ x: 990, width: 70 }], 1000)
    expect(placed?.left).toBe(990 - 4 - 70)
  })
})
