import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { processOwner } from '../../src/core/owner.ts'

describe('processOwner', () => {
  it('when asked twice in one process, then two owners that name the host and the pid', () => {
    const [first, second] = [processOwner(), processOwner()]
    const prefix = `${hostname()}:${process.pid}:`
    expect(first).not.toBe(second)
    for (const owner of [first, second]) {
      expect(owner.startsWith(prefix)).toBe(true)
      expect(owner.slice(prefix.length)).toMatch(/^[0-9a-f]{8}$/)
    }
  })
})
