import { defineConfig } from 'vitest/config'

// `make test-containers`: the images and the compose stack against a real Docker engine. Kept out
// of `make test`, which needs no Docker. One file at a time: builds and stacks share two cores.
export default defineConfig({
  test: {
    include: ['deploy/containers/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
})
