import type { PublishBatchCommandOutput } from '@aws-sdk/client-sns'
import { awsClients } from '@orders/stack/aws'

export type SnsCall = { command: string; input: Record<string, unknown> }

type Rewrite = (call: SnsCall, output: PublishBatchCommandOutput, nth: number) => void

// A real SNS client on the emulator that records every command it sends; `rewrite` may alter
// what came back, or throw, to stand for failures the emulator itself never produces.
export function recordingSns(env: Record<string, string>, rewrite?: Rewrite) {
  const { sns } = awsClients(env)
  const calls: SnsCall[] = []
  sns.middlewareStack.add(
    (next, context) => async (args) => {
      const call = { command: context.commandName ?? '?', input: args.input as SnsCall['input'] }
      calls.push(call)
      const result = await next(args)
      rewrite?.(call, result.output as PublishBatchCommandOutput, calls.length)
      return result
    },
    { step: 'initialize', name: 'recordCalls' },
  )
  return { sns, calls }
}
