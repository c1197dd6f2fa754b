// The worker exactly as server.ts runs it, with the orders table replaced by a store in its own
// memory (memory-store.ts): the benchmark's row for the pool alone.

import { parseConfig } from '@orders/processor/config'
import { runWorker } from '@orders/processor/run'
import { orExit } from '@orders/service/config'
import { createMemoryStore } from './memory-store.ts'

runWorker(
  orExit(() => parseConfig(process.env)),
  createMemoryStore(),
)
