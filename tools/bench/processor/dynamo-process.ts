// dynalite in a process of its own for the benchmark, so the table's CPU is not the harness's
// or fauxqs's: it counts every request by action (X-Amz-Target) and hands the counts over, then
// starts again from zero, each time its parent sends 'take'.
import { startDynamoEmulator } from '@orders/stack/dynamo-emulator'

const counts = new Map<string, number>()
const dynamo = await startDynamoEmulator(0, '127.0.0.1', (request) => {
  const action = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
  counts.set(action, (counts.get(action) ?? 0) + 1)
})

process.on('message', (message) => {
  if (message !== 'take') return
  process.send?.({ counts: Object.fromEntries(counts) })
  counts.clear()
})
// The parent's exit closes the channel: nothing is left listening.
process.on('disconnect', () => {
  dynamo.stop().then(() => process.exit(0))
})
process.send?.({ endpoint: dynamo.endpoint, port: dynamo.port })
