import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Native sockets and namespaces: separate processes, not worker threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Kernel tests share one sandboxed network namespace; the files use random names, but
    // running two heavy files at once on a 2-core VM only adds noise to timeouts.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
