import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = fileURLToPath(new URL('../src/', import.meta.url))

async function importsOf(folder: string): Promise<{ file: string; from: string }[]> {
  const found: { file: string; from: string }[] = []
  for (const file of await readdir(join(src, folder))) {
    const text = await readFile(join(src, folder, file), 'utf8')
    for (const [, from = ''] of text.matchAll(/from '([^']+)'/g)) found.push({ file, from })
  }
  return found
}

// The load tool reads the queue through the queue monitor, never the other way: the monitor
// stays a small CLI of its own, and a change to the load tool cannot break `npm run queue`.
describe('the arrow between the load tool and the queue monitor', () => {
  it('when the queue monitor is read, then none of its files imports the load tool', async () => {
    const imports = await importsOf('queue')
    expect(imports.length).toBeGreaterThan(0)
    expect(imports.filter(({ from }) => from.startsWith('../'))).toEqual([])
  })

  it('when the load tool is read, then it reaches the queue through src/queue', async () => {
    const imports = await importsOf('load')
    const outside = imports.filter(({ from }) => from.startsWith('../'))
    expect(outside.length).toBeGreaterThan(0)
    expect(outside.filter(({ from }) => !from.startsWith('../queue/'))).toEqual([])
  })
})
