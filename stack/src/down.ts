import { setTimeout as sleep } from 'node:timers/promises'
import { isAlive, readStackPid, removePidFile } from './stack-pid.ts'

const pid = readStackPid()
if (pid === undefined || !isAlive(pid)) {
  removePidFile()
  console.log('embedded stack is not running')
  process.exit(0)
}

process.kill(pid, 'SIGTERM')
const deadline = Date.now() + 40_000
while (isAlive(pid) && Date.now() < deadline) await sleep(200)
if (isAlive(pid)) {
  console.error(`embedded stack (pid ${pid}) did not stop within 40 s`)
  process.exit(1)
}
console.log('embedded stack stopped')
