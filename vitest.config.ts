import { defineConfig } from 'vitest/config';

// Unit and parity tests run in Node. End-to-end tests (real Chromium) have their own config: vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/parity/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
