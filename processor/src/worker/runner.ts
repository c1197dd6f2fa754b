import type { Message } from '@aws-sdk/client-sqs'
import type { ReceiveBudget } from './receive-budget.ts'

type RunnerOptions = {
  concurrency: number
  settle: (message: Message) => Promise<void>
  // The receive budget: a message's share comes back once it settles.
  budget: Pick<ReceiveBudget, 'release' | 'setHungry'>
  // Every settlement, for the drain to wait on.
  track: (work: Promise<void>) => void
}

export type Runner = {
  run: (message: Message) => void
  // Empties what waited ahead and hands it back: the pool is draining and runs nothing new.
  stop: () => Message[]
  readonly active: number
}

// Runs received messages in `concurrency` slots. One received while every slot is busy waits
// ahead, first in first out, and starts in the same turn as a slot frees, so with messages ahead
// no slot idles through a receive. While nothing waits ahead the budget is hungry.
export function createRunner(options: RunnerOptions): Runner {
  const { concurrency, settle, budget, track } = options
  const ahead: Message[] = []
  let active = 0

  function start(message: Message) {
    active++
    const settled = settle(message).finally(() => {
      active--
      const next = ahead.shift()
      if (next) start(next)
      if (ahead.length === 0) budget.setHungry(true)
      budget.release()
    })
    track(settled)
  }

  return {
    run(message) {
      if (active < concurrency) return start(message)
      ahead.push(message)
      budget.setHungry(false)
    },
    stop() {
      return ahead.splice(0)
    },
    get active() {
      return active
    },
  }
}
