import { defineConfig } from "vitest/config";

// Two projects: fast unit tests (mocks, fake timers, pure logic), and integration tests
// that run the worker through the real clients against the Pub/Sub and Bigtable emulators
// (started once by the global setup, on free ports, and stopped by process group).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/integration/**", "**/node_modules/**"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/emulators.globalSetup.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
