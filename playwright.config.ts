import { defineConfig } from '@playwright/test';

// Real Debian Chromium (never `playwright install`); each test starts its own real server
// (apps/counter-display/e2e/server.ts). Two projects: the hall screens and the kiosk.
export default defineConfig({
  projects: [
    { name: 'screens', testDir: './apps/counter-display/e2e' },
    { name: 'kiosk', testDir: './apps/kiosk/e2e' },
  ],
  outputDir: './test-results/playwright',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: './test-results/playwright.json' }]],
  use: {
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
    trace: 'retain-on-failure',
  },
});
