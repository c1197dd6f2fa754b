import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
const makefile = read('Makefile')
const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> }

// The recipe lines of one Makefile target, without make's own prefixes.
function recipe(target: string): string[] {
  const lines = makefile.split('\n')
  const start = lines.findIndex((line) => line.startsWith(`${target}:`))
  if (start === -1) return []
  const body: string[] = []
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('\t')) break
    body.push(line.slice(1).replace(/^[@-]+/, ''))
  }
  return body
}

describe('make up | down | logs | ps', () => {
  it.each(['up', 'down', 'logs', 'ps'])(
    'when make %s runs, then it runs its npm script and nothing else',
    (target) => {
      expect(recipe(target)).toEqual([`npm run ${target}`])
    },
  )

  it.each(['up', 'down', 'logs', 'ps'])(
    'when npm run %s runs, then it is the stack CLI with that command',
    (name) => {
      expect(scripts[name]).toBe(`node stack/src/stack-cli.ts ${name}`)
    },
  )

  it('when the Makefile is read, then no target calls a stack script in bash', () => {
    expect(recipe('help').length).toBeGreaterThan(0)
    expect(makefile).not.toMatch(/scripts\/stack\.sh/)
  })
})
