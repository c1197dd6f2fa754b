// The processor as it was wired before issue 10 (one consumer per slot, two sockets per slot),
// with today's handler, config and metrics, so only the pool differs. Run by the benchmark as its
// own process, exactly like src/server.ts.
import { pino } from 'pino'
import { createApp } from '../src/app.ts'
import { parseConfig } from '../src/config.ts'
import { isPoison } from '../src/handler.ts'
import { createMetrics } from '../src/metrics.ts'
import { createOrderHandler, createSqsClient } from '../src/wiring.ts'
import { createBaselinePool } from './baseline-pool.ts'

const config = parseConfig(process.env)
const logger = pino({ name: 'processor', level: config.logLevel }, pino.destination({ sync: true }))
const metrics = createMetrics()
const pool = createBaselinePool({
  sqs: createSqsClient(config, config.concurrency * 2 + 4),
  queueUrl: config.queueUrl,
  concurrency: config.concurrency,
  handleMessage: createOrderHandler(config, logger, metrics),
  isPoison,
  retryDelaySeconds: config.retryDelaySeconds,
  logger,
})
const server = createApp({ metrics, isDraining: () => false }).listen(config.port, config.host)
pool.start()
logger.info({ concurrency: config.concurrency }, 'consuming')

process.once('SIGTERM', async () => {
  await pool.drain()
  server.close()
  process.exit(0)
})
