// squiss-ts, the peer the worker's polling is measured against (one maxInFlight for the process,
// receives for at most the free slots, deletes batched ten at a time or after deleteWaitMs),
// running the worker's own order core with its store in memory, as the "no table" row does, so
// that the two rows differ in their polling alone.

import { parseConfig } from '@orders/processor/config'
import { createMetrics } from '@orders/processor/metrics'
import { createOrderHandler } from '@orders/processor/wiring'
import { orExit } from '@orders/service/config'
import { createLogger } from '@orders/service/logger'
import { Squiss } from 'squiss-ts'
import { createMemoryStore } from './memory-store.ts'

const config = orExit(() => parseConfig(process.env))
const { logger, exit } = createLogger('processor', config.logLevel, { sync: false })
const handleMessage = createOrderHandler(config, logger, createMetrics(), createMemoryStore())
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
await squiss.start()
logger.info({ concurrency: config.concurrency }, 'consuming')

process.once('SIGTERM', async () => {
  await squiss.stop(true, 10_000)
  exit(0)
})
