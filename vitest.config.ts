import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Your strategies' own tests live beside them (strategies/NAME.test.ts; docs/strategies.md).
    include: ['test/**/*.test.ts', 'strategies/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
