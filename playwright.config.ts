// End-to-end tests of the production renderer build in Debian's Chromium,
// served with the same headers as the app protocol (vite preview, see
// vite.config.ts). Electron itself cannot run here; browser mode stands in
// for the preload over the same VeilApi contract.
import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumArgs } from './test/chromium';

// Overridable so two runs in one checkout (or a busy port) do not collide.
const port = Number(process.env.VEIL_E2E_PORT ?? 4173);
// Absolute: Vite resolves a relative --outDir against its root (renderer/).
const outDir = resolve(import.meta.dirname, process.env.VEIL_E2E_OUT ?? 'dist/renderer');

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: process.env.VEIL_E2E_RESULTS ?? 'test-results',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1400, height: 900 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: chromiumArgs(),
    },
  },
  webServer: {
    // Test what ships: the production build under the production headers.
    command: `npx vite build --outDir ${outDir} && npx vite preview --outDir ${outDir} --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
