export type Mode = 'closed' | 'open'

export type Scenario = {
  description: string
  mode: Mode
  path: '/orders/sync' | '/orders/async'
  expectStatus: number
  users: number
  spawnRate: number
  durationS: number
  timeoutS: number
  rate: number
}

// Locust-style defaults for sync and async, a "normal" day's load, and an open-loop flash sale
// whose arrival rate ignores how fast the system answers.
export const scenarios = {
  sync: {
    description: 'closed loop on POST /orders/sync: each user waits for the payment',
    mode: 'closed',
    path: '/orders/sync',
    expectStatus: 200,
    users: 20,
    spawnRate: 1,
    durationS: 60,
    timeoutS: 10,
    rate: 0,
  },
  async: {
    description: 'closed loop on POST /orders/async: each user waits only for the queue',
    mode: 'closed',
    path: '/orders/async',
    expectStatus: 202,
    users: 30,
    spawnRate: 10,
    durationS: 60,
    timeoutS: 5,
    rate: 0,
  },
  normal: {
    description: 'a normal day: a few users on POST /orders/async',
    mode: 'closed',
    path: '/orders/async',
    expectStatus: 202,
    users: 5,
    spawnRate: 1,
    durationS: 30,
    timeoutS: 5,
    rate: 0,
  },
  flash: {
    description: 'flash sale: a fixed arrival rate on POST /orders/async, whatever the latency',
    mode: 'open',
    path: '/orders/async',
    expectStatus: 202,
    users: 0,
    spawnRate: 0,
    durationS: 60,
    timeoutS: 5,
    rate: 60,
  },
} as const satisfies Record<string, Scenario>

export type ScenarioName = keyof typeof scenarios

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(scenarios, name)
}
