import { createDepthReader } from '../queue/depth.ts'
import { sqsClientFor } from '../queue/endpoint.ts'
import type { LoadOptions } from './args.ts'
import { processorReader } from './processor.ts'
import type { RunDeps } from './run.ts'

// Where a run reads the queue and the processor, from its resolved targets.
export function sourcesFor(o: Pick<LoadOptions, 'endpoint' | 'queues' | 'processor'>) {
  return {
    readDepth: createDepthReader(sqsClientFor(o.endpoint), o.queues),
    readProcessor: o.processor ? processorReader(o.processor) : undefined,
  } satisfies RunDeps
}
