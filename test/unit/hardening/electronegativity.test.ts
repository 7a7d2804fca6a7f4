// Electronegativity (Doyensec's Electron security scanner) over main/ and
// renderer/, offline, as `npm run security` runs it: no finding outside the
// reviewed allow-list (build/security-allowlist.json, each entry says why), no
// stale allow-list entry, every source file parsed, and not one request sent.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanElectronSecurity } from '../../../build/security-scan.mjs';

const allowList = JSON.parse(readFileSync('build/security-allowlist.json', 'utf8')) as { allowed: Array<{ id: string; file: string; why: string }> };

describe('electronegativity', () => {
  it('finds nothing outside the explained allow-list, offline', async () => {
    const report = await scanElectronSecurity();
    expect(report.checks).toBeGreaterThan(30);
    expect(report.parseErrors).toEqual([]);
    expect(report.unexplained).toEqual([]);
    expect(report.unusedAllowances).toEqual([]);
    // The tool's one download (translations) reached the local stub, not the network.
    expect(report.networkAttempts.every((url) => url.startsWith('https://electronegativity-i18n.'))).toBe(true);
  }, 120_000);

  it('every allowance names a check, a file and a reason', () => {
    for (const entry of allowList.allowed) {
      expect(entry.id).toMatch(/^[A-Z_]+_CHECK$/);
      expect(entry.file).not.toMatch(/\*/);
      expect(entry.why.length).toBeGreaterThan(40);
    }
  });

  it('sees an insecure window when there is one (the scan is not blind)', async () => {
    const report = await scanElectronSecurity({
      extraFiles: {
        'main/insecureWindow.ts': [
          "import { BrowserWindow } from 'electron';",
          'export const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });',
          "void w.loadURL('http://example.com/');",
        ].join('\n'),
      },
    });
    const ids = new Set(report.unexplained.filter((f) => f.file === 'main/insecureWindow.ts').map((f) => f.id));
    expect(ids).toContain('NODE_INTEGRATION_JS_CHECK');
    expect(ids).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(ids).toContain('WEB_SECURITY_JS_CHECK');
  }, 120_000);
});
