import { defineConfig } from 'vitest/config'

// Two projects: `unit` (protocol, codecs, services, in-process nodes; files in parallel) and `e2e`
// (real node processes, anvil, the demo; one file at a time so ceremony timeouts measure the nodes,
// not the test runner's own load). `npm test` runs unit, then e2e.
const reportDir = process.env.VITEST_REPORT_DIR
const reporters = reportDir
  ? ['default', ['json', { outputFile: `${reportDir}/${process.env.VITEST_PROJECT ?? 'all'}.json` }] as const]
  : ['default']

export default defineConfig({
  test: {
    setupFiles: ['./node/runtime/polyfill.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    reporters: reporters as never,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'protocol/**/*.test.ts',
            'proto/**/*.test.ts',
            'node/**/*.test.ts',
            'contracts/**/*.test.ts',
            'simulations/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['test/e2e/**', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
})
