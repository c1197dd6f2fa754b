import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts', 'tools/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration files each start their own emulator and child processes; two shared cores
    // are the limit, so keep parallelism modest to avoid starving the event loops being tested.
    maxWorkers: 2,
  },
})
