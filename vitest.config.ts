import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // In-process integration tests (real servers on loopback) can take seconds on a busy
    // two-core machine; tests that start child processes set their own, longer timeout.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores, so keep workers few.
    maxWorkers: 2,
    // One PostgreSQL server for the run: the machine's on 127.0.0.1:5432, or a throwaway one.
    globalSetup: ["test/support/postgres-global-setup.ts"],
  },
});
