import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb'
import { createPermits } from './permits.ts'
import { type Item, S } from './records.ts'
import { KEY_ATTRIBUTE } from './table.ts'

export type StoreOperation = 'record' | 'get' | 'claim' | 'complete' | 'release' | 'fail'
export type RequestOutcome = 'ok' | 'condition_failed' | 'error' | 'timeout'
// Why a conditional write did not apply, once a read has told (never on the common path).
export type ConditionReason =
  | 'already_recorded'
  | 'conflict'
  | 'already_completed'
  | 'already_failed'
  | 'held'
  | 'lease_lost'

// Where the store reports each request and each condition that did not hold: a Prometheus
// registry (metrics.ts), or nothing.
export type StoreHooks = {
  request?: (sample: {
    operation: StoreOperation
    outcome: RequestOutcome
    seconds: number
  }) => void
  conditionFailed?: (operation: StoreOperation, reason: ConditionReason) => void
}

// The store did not answer in time, or answered with an error: what was asked may or may not
// have been written, and asking again later is always safe.
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
  readonly operation: StoreOperation
  readonly timedOut: boolean
  constructor(operation: StoreOperation, timedOut: boolean, options: { cause: unknown }) {
    super(`orders table ${operation} ${timedOut ? 'timed out' : 'failed'}`, options)
    this.operation = operation
    this.timedOut = timedOut
  }
}

export type Update = { applied: true; attributes: Item } | { applied: false }

export type Requests = {
  // Writes whose condition may not hold: that is an answer, not an error.
  put: (operation: StoreOperation, input: PutItemCommandInput) => Promise<boolean>
  update: (operation: StoreOperation, input: UpdateItemCommandInput) => Promise<Update>
  // A strongly consistent read: it sees every write that was acknowledged before it.
  read: (operation: StoreOperation, orderId: string) => Promise<Item | undefined>
}

type RequestSettings = { timeoutMs: number; maxInFlight: number; hooks: StoreHooks }

// Every request is bounded by timeoutMs, its wait for a turn and the SDK's own retries included,
// and timed.
export function createRequests(
  client: DynamoDBClient,
  tableName: string,
  { timeoutMs, maxInFlight, hooks }: RequestSettings,
): Requests {
  const permits = createPermits(maxInFlight)

  async function send<T>(
    operation: StoreOperation,
    run: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T | undefined> {
    const started = performance.now()
    const signal = AbortSignal.timeout(timeoutMs)
    const observe = (outcome: RequestOutcome) =>
      hooks.request?.({ operation, outcome, seconds: (performance.now() - started) / 1000 })
    try {
      await permits.acquire(signal)
    } catch (err) {
      observe('timeout')
      throw new StoreUnavailableError(operation, true, { cause: err })
    }
    try {
      const output = await run(signal)
      observe('ok')
      return output
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        observe('condition_failed')
        return undefined
      }
      observe(signal.aborted ? 'timeout' : 'error')
      throw new StoreUnavailableError(operation, signal.aborted, { cause: err })
    } finally {
      permits.release()
    }
  }

  return {
    async put(operation, input) {
      const output = await send(operation, (abortSignal) =>
        client.send(new PutItemCommand(input), { abortSignal }),
      )
      return output !== undefined
    },
    async update(operation, input) {
      const output = await send(operation, (abortSignal) =>
        client.send(new UpdateItemCommand(input), { abortSignal }),
      )
      return output === undefined
        ? { applied: false }
        : { applied: true, attributes: output.Attributes ?? {} }
    },
    async read(operation, orderId) {
      const key = { [KEY_ATTRIBUTE]: S(orderId) }
      const output = await send(operation, (abortSignal) =>
        client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }), {
          abortSignal,
        }),
      )
      return output?.Item
    },
  }
}
