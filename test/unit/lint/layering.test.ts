// The layering rule must actually bite: each layer's forbidden import is
// linted as if it lived in that layer, and must be reported.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('layering lint rule', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'Node built-ins'],
    ["import { readFileSync } from 'fs';", 'Node built-ins'],
    ["import { app } from 'electron';", 'Electron'],
    ["import React from 'react';", 'React'],
    ["import * as cs from '@cornerstonejs/core';", 'rendering libraries'],
    ["import { x } from '../../main/main';", 'main/'],
    ["import { x } from '../../renderer/App';", 'renderer/'],
    ['export const w = window.innerWidth;', 'DOM'],
    ['export const n = Buffer.alloc(1);', 'Uint8Array'],
    ["export const r = fetch('x');", 'network'],
  ])('shared/ rejects %s', async (code, why) => {
    const messages = await restrictedIn('shared/dicom/example.ts', code);
    expect(messages.join('\n')).toContain(why);
  });

  it.each([
    ["import { ipcRenderer } from 'electron';", 'window.veil'],
    ["import { readFile } from 'node:fs/promises';", 'sandboxed'],
    ["import { x } from '../main/main';", 'must not import main/'],
  ])('renderer/ rejects %s', async (code, why) => {
    const messages = await restrictedIn('renderer/App.tsx', code);
    expect(messages.join('\n')).toContain(why);
  });

  it('main/ may not import the renderer', async () => {
    const messages = await restrictedIn('main/main.ts', "import { App } from '../renderer/App';");
    expect(messages.join('\n')).toContain('must not import renderer/');
  });

  it('allows what each layer may use', async () => {
    expect(await restrictedIn('shared/dicom/example.ts', "import { Channels } from '../api/contract';")).toEqual([]);
    expect(await restrictedIn('main/main.ts', "import { readFile } from 'node:fs/promises';")).toEqual([]);
    expect(await restrictedIn('renderer/App.tsx', "import { Channels } from '../shared/api/contract';")).toEqual([]);
  });
});
