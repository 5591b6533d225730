import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run the TypeScript sources of the workspace packages, not their builds.
    alias: [
      { find: /^@yimen\/shared$/, replacement: fileURLToPath(new URL('./packages/shared/src/index.ts', import.meta.url)) },
      { find: /^@yimen\/hardware\/(.*)$/, replacement: fileURLToPath(new URL('./hardware/src/$1.ts', import.meta.url)) },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/kiosk/electron/**/*.test.ts',
      'hardware/**/*.test.ts',
      'bench/lib/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
