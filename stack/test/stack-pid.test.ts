import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { claimPidFile, readStackPid, releasePidFile } from '../src/stack-pid.ts'

const pidFile = () => join(mkdtempSync(join(tmpdir(), 'stack-pid-')), '.stack.pid')
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid

describe('stack pid file', () => {
  it('when no stack holds it, then up claims it and releases it on stop', () => {
    const file = pidFile()
    claimPidFile(file)
    expect(readStackPid(file)).toBe(process.pid)
    releasePidFile(file)
    expect(readStackPid(file)).toBeUndefined()
  })

  it('when a live stack holds it, then a second stack neither takes nor removes it', () => {
    const file = pidFile()
    const live = process.ppid
    writeFileSync(file, String(live))
    claimPidFile(file)
    releasePidFile(file)
    expect(readFileSync(file, 'utf8')).toBe(String(live))
  })

  it('when the holder is dead, then the file is taken over', () => {
    const file = pidFile()
    writeFileSync(file, String(deadPid()))
    claimPidFile(file)
    expect(readStackPid(file)).toBe(process.pid)
  })
})
