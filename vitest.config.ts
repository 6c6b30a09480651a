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
  },
});
