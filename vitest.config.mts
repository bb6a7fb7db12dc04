import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // dist/ is what the commands and providers run: never test a stale one.
    globalSetup: ["test/support/build-first.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Engine and packaging tests spawn processes; two workers fit the two-core machines.
    maxWorkers: 2,
  },
});
