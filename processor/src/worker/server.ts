import { orExit } from '@orders/service/config'
import { parseConfig } from './config.ts'
import { runWorker } from './run.ts'

runWorker(orExit(() => parseConfig(process.env)))
