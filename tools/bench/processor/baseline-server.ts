// The processor wired the simplest way (one consumer per slot, two sockets per slot, blocking
// log writes), with the same order core, config and metrics, so only the pool differs. Run
// by the benchmark as its own process, like src/worker/server.ts; it serves no HTTP, which the
// benchmark does not use.

import { parseConfig } from '@orders/processor/config'
import { createMetrics } from '@orders/processor/metrics'
import { createOrderHandler, createSqsClient } from '@orders/processor/wiring'
import { pino } from 'pino'
import { createBaselinePool } from './baseline-pool.ts'

const config = parseConfig(process.env)
const logger = pino({ name: 'processor', level: config.logLevel }, pino.destination({ sync: true }))
const metrics = createMetrics()
const pool = createBaselinePool({
  sqs: createSqsClient(config, config.concurrency * 2 + 4),
  queueUrl: config.queueUrl,
  concurrency: config.concurrency,
  handleMessage: createOrderHandler(config, logger, metrics),
  retryDelaySeconds: config.retryDelaySeconds,
  logger,
})
pool.start()
logger.info({ concurrency: config.concurrency }, 'consuming')

process.once('SIGTERM', async () => {
  await pool.drain()
  process.exit(0)
})
