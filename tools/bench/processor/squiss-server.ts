// squiss-ts, the peer the worker's polling is measured against (one maxInFlight for the process,
// receives for at most the free slots, deletes batched ten at a time or after deleteWaitMs),
// running the worker's own order core with its store in memory, as the "no table" row does, and
// hosted as the worker is (/health, /metrics, the drain on SIGTERM), so that the two rows differ
// in their polling alone.

import { parseConfig } from '@orders/processor/config'
import { hostWorker } from '@orders/processor/host'
import { createMetrics } from '@orders/processor/metrics'
import { createOrderHandler } from '@orders/processor/wiring'
import { orExit } from '@orders/service/config'
import { createLogger } from '@orders/service/logger'
import { Squiss } from 'squiss-ts'
import { createMemoryStore } from './memory-store.ts'

const config = orExit(() => parseConfig(process.env))
const { logger, exit } = createLogger('processor', config.logLevel, { sync: false })
const metrics = createMetrics()
const handleMessage = createOrderHandler(config, logger, metrics, createMemoryStore())
const squiss = new Squiss({
  awsConfig: { region: config.region, endpoint: config.endpoint },
  queueUrl: config.queueUrl,
  maxInFlight: config.concurrency,
})
squiss.on('message', async (message) => {
  const outcome = await handleMessage(message.raw)
  if (outcome.kind === 'completed' || outcome.kind === 'duplicate') await message.del()
  else await message.release()
})

hostWorker({
  at: config,
  registry: metrics.registry,
  logger,
  exit,
  work: {
    start: () => void squiss.start(),
    drain: async () => {
      await squiss.stop(true, 10_000)
    },
    get busy() {
      return squiss.inFlight
    },
  },
  onStarted: () => logger.info({ concurrency: config.concurrency }, 'consuming'),
})
