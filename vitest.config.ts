import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Most of the suite waits on sockets and daemons (hooks alone ~300 s of ~1,000 s): two test files at a time
    // keep both cores of the 2-core CI machine busy. The bare-host scans tolerate each other's listeners (own
    // loopback addresses; wildcard listeners of the machine are re-checked), as they did under parallel runs.
    maxWorkers: 2,
  },
})
