// End-to-end tests of the production renderer build in Debian's Chromium,
// served with the same headers as the app protocol (vite preview, see
// vite.config.ts). Electron itself cannot run here; browser mode stands in
// for the preload over the same VeilApi contract.
import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

// Overridable so two runs in one checkout (or a busy port) do not collide.
const port = Number(process.env.VEIL_E2E_PORT ?? 4173);
// Absolute: Vite resolves a relative --outDir against its root (renderer/).
const outDir = resolve(import.meta.dirname, process.env.VEIL_E2E_OUT ?? 'dist/renderer');

/** llvmpipe through ANGLE/EGL; set VEIL_E2E_GL=swiftshader to use SwiftShader instead. */
const glArgs =
  process.env.VEIL_E2E_GL === 'swiftshader'
    ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader']
    : ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist'];

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
      args: [
        '--no-sandbox',
        // Without these Chromium keeps calling home, and the network here is closed.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-default-apps',
        ...glArgs,
      ],
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
