// Lint = the layering rule (VS Code style): shared/ is the platform-free
// engine, renderer/ is browser, main/ is Node + Electron. Run by `npm test`.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'https', 'net', 'os', 'path', 'process', 'readline', 'stream', 'tls', 'url', 'util', 'v8', 'vm',
  'worker_threads', 'zlib',
];

const noPlatform = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is the platform-free engine: no Node built-ins.' })),
    { name: 'electron', message: 'shared/ must not import Electron.' },
    { name: 'react', message: 'shared/ must not import React.' },
    { name: 'react-dom', message: 'shared/ must not import React.' },
  ],
  patterns: [
    { group: ['node:*'], message: 'shared/ is the platform-free engine: no Node built-ins.' },
    { group: ['react-dom/*', '@cornerstonejs/*', '@kitware/*'], message: 'shared/ must not import rendering libraries.' },
    { group: ['**/main/**', '../main', '../../main'], message: 'shared/ must not import main/.' },
    { group: ['**/renderer/**', '../renderer', '../../renderer'], message: 'shared/ must not import renderer/.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'playwright-report/**', 'test/lint/violations/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', noPlatform],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'shared/ has no DOM.' },
        { name: 'document', message: 'shared/ has no DOM.' },
        { name: 'process', message: 'shared/ has no Node.' },
        { name: 'Buffer', message: 'shared/ has no Node: use Uint8Array.' },
        { name: 'require', message: 'shared/ has no Node.' },
        { name: 'fetch', message: 'Veil never touches the network.' },
        { name: 'XMLHttpRequest', message: 'Veil never touches the network.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'renderer/ runs sandboxed: no Node built-ins.' })),
            { name: 'electron', message: 'renderer/ reaches main only through window.veil (shared/api/contract.ts).' },
          ],
          patterns: [
            { group: ['node:*'], message: 'renderer/ runs sandboxed: no Node built-ins.' },
            { group: ['**/main/**', '../main', '../../main'], message: 'renderer/ must not import main/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'react', message: 'main/ has no UI.' }, { name: 'react-dom', message: 'main/ has no UI.' }],
          patterns: [{ group: ['**/renderer/**', '../renderer', '../../renderer'], message: 'main/ must not import renderer/.' }],
        },
      ],
    },
  },
  {
    // Every spec's pages go through support.ts's `test`, which fails on any request leaving the machine.
    files: ['test/e2e/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@playwright/test',
              allowTypeImports: true,
              message: "Import test and expect from './support' (it records every request and fails on any that leaves the machine).",
            },
          ],
        },
      ],
    },
  },
);
