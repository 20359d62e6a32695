import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'protocol/**/*.test.ts',
      'proto/**/*.test.ts',
      'node/**/*.test.ts',
      'contracts/**/*.test.ts',
      'simulations/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    setupFiles: ['./node/runtime/polyfill.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
})
