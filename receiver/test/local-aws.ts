import { randomUUID } from 'node:crypto'
import { type LocalAws, startLocalAws } from '@orders/stack/emulator'
import type { Provisioned } from '@orders/stack/provision'
import { namespacedTopology } from '@orders/stack/topology'
import { afterAll, beforeAll } from 'vitest'

// One emulator per test file, with a topic and queues of its own: no file reads another's orders.
export function useLocalAws() {
  const local = {} as { aws: LocalAws; queues: Provisioned }
  beforeAll(async () => {
    local.aws = await startLocalAws()
    local.queues = await local.aws.provision(namespacedTopology(randomUUID().slice(0, 8)))
  })
  afterAll(() => local.aws?.stop())
  return local
}
