// The worker exactly as server.ts runs it, with the orders table replaced by a store in its own
// memory (memory-store.ts): the benchmark's row for the pool alone.
import { orExit } from '@orders/service/config'
import { parseConfig } from '../src/worker/config.ts'
import { runWorker } from '../src/worker/run.ts'
import { createMemoryStore } from './memory-store.ts'

runWorker(
  orExit(() => parseConfig(process.env)),
  createMemoryStore(),
)
