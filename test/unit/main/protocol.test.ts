// The app:// protocol: traversal refused in every spelling, exact MIME types,
// and the security headers on every response, errors included.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInside } from '../../../main/app/containment';
import { createAppProtocolHandler } from '../../../main/protocol/handler';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../../main/protocol/headers';
import { mimeTypeFor } from '../../../main/protocol/mime';
import { resolveAppRequest } from '../../../main/protocol/resolve';
import { isAppUrl } from '../../../main/protocol/scheme';

const root = '/srv/veil/dist/renderer';

describe('resolveAppRequest', () => {
  it('maps the origin root and plain paths into the build folder', () => {
    expect(resolveAppRequest(root, 'app://veil/')).toEqual({ kind: 'file', filePath: `${root}/index.html` });
    expect(resolveAppRequest(root, 'app://veil')).toEqual({ kind: 'file', filePath: `${root}/index.html` });
    expect(resolveAppRequest(root, 'app://veil/assets/index-abc.js?v=1#x')).toEqual({
      kind: 'file',
      filePath: `${root}/assets/index-abc.js`,
    });
    expect(resolveAppRequest(root, 'app://veil/assets/my%20file.wasm')).toEqual({
      kind: 'file',
      filePath: `${root}/assets/my file.wasm`,
    });
  });

  it.each([
    'app://veil/..%2f..%2f..%2fetc%2fpasswd',
    'app://veil/assets/..%2F..%2F..%2Fetc/passwd',
    'app://veil/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://veil/..%5c..%5cwindows%5cwin.ini',
    'app://veil/assets%2f..%2f..%2fsecret',
    'app://veil/%2fetc%2fpasswd',
    'app://veil/index.html%00.png',
    'app://veil/C:%5cWindows%5cwin.ini',
    'app://veil/c:/Windows/win.ini',
    'app://veil/%c0%ae%c0%ae/etc/passwd',
    'app://veil/%E0%A4%A',
  ])('refuses %s', (url) => {
    expect(resolveAppRequest(root, url).kind).toBe('forbidden');
  });

  it('keeps literal and %2e dot segments inside the build (the URL parser collapses them)', () => {
    for (const url of ['app://veil/../../etc/passwd', 'app://veil/%2e%2e/%2e%2e/etc/passwd', 'app://veil/a/./../../x']) {
      const target = resolveAppRequest(root, url);
      if (target.kind === 'file') expect(isInside(root, target.filePath)).toBe(true);
    }
  });

  it('refuses other origins and schemes', () => {
    expect(resolveAppRequest(root, 'app://evil/index.html').kind).toBe('forbidden');
    expect(resolveAppRequest(root, 'file:///etc/passwd').kind).toBe('forbidden');
    expect(resolveAppRequest(root, 'https://veil/index.html').kind).toBe('forbidden');
    expect(resolveAppRequest(root, 'not a url').kind).toBe('forbidden');
  });

  it('refuses Windows traversal with the win32 path rules', () => {
    const winRoot = 'C:\\Program Files\\Veil\\resources\\app\\dist\\renderer';
    expect(resolveAppRequest(winRoot, 'app://veil/..%5c..%5c..%5csecret.txt', path.win32).kind).toBe('forbidden');
    expect(resolveAppRequest(winRoot, 'app://veil/D:%5csecret.txt', path.win32).kind).toBe('forbidden');
    const ok = resolveAppRequest(winRoot, 'app://veil/assets/a.js', path.win32);
    expect(ok).toEqual({ kind: 'file', filePath: `${winRoot}\\assets\\a.js` });
  });

  it('isInside rejects the root itself, siblings sharing a prefix, and parents', () => {
    expect(isInside('/a/renderer', '/a/renderer')).toBe(false);
    expect(isInside('/a/renderer', '/a/renderer-evil/x')).toBe(false);
    expect(isInside('/a/renderer', '/a/x')).toBe(false);
    expect(isInside('/a/renderer', '/a/renderer/x/y')).toBe(true);
  });
});

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index.js', 'text/javascript; charset=utf-8'],
    ['assets/worker.MJS', 'text/javascript; charset=utf-8'],
    ['assets/charlswasm_decode.wasm', 'application/wasm'],
    ['assets/index.css', 'text/css; charset=utf-8'],
    ['manifest.json', 'application/json; charset=utf-8'],
    ['logo.png', 'image/png'],
    ['logo.svg', 'image/svg+xml'],
    ['brain_001.dcm', 'application/octet-stream'],
    ['assets.d/README', 'application/octet-stream'],
  ])('%s → %s', (file, type) => {
    expect(mimeTypeFor(file)).toBe(type);
  });
});

describe('security headers', () => {
  it('carry the strict CSP, cross-origin isolation and nosniff', () => {
    const headers = securityHeaders();
    expect(headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(headers['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    const csp = headers['Content-Security-Policy'];
    for (const directive of [
      "default-src 'self'",
      "script-src 'self' 'wasm-unsafe-eval'",
      "worker-src 'self';",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/'unsafe-eval'|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toBe(csp);
  });
});

describe('isAppUrl', () => {
  it('accepts only app://veil', () => {
    expect(isAppUrl('app://veil/index.html')).toBe(true);
    expect(isAppUrl('app://veil.evil.com/')).toBe(false);
    expect(isAppUrl('app://evil/')).toBe(false);
    expect(isAppUrl('https://veil/')).toBe(false);
    expect(isAppUrl('garbage')).toBe(false);
  });
});

describe('app protocol handler on a real build folder', () => {
  let base: string;
  let dist: string;
  let handle: ReturnType<typeof createAppProtocolHandler>;

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'veil-protocol-'));
    dist = path.join(base, 'renderer');
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Veil</title>');
    writeFileSync(path.join(dist, 'assets', 'index.mjs'), 'export {}');
    writeFileSync(path.join(dist, 'assets', 'codec.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    writeFileSync(path.join(base, 'secret.txt'), 'patient list');
    mkdirSync(path.join(base, 'renderer-evil'));
    writeFileSync(path.join(base, 'renderer-evil', 'x.js'), 'evil');
    symlinkSync(path.join(base, 'secret.txt'), path.join(dist, 'assets', 'link.js'));
    handle = createAppProtocolHandler(dist);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

  function expectSecurityHeaders(response: Response): void {
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(response.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  }

  it('serves index.html, modules and wasm with exact types and the headers', async () => {
    const index = await get('app://veil/');
    expect(index.status).toBe(200);
    expect(index.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Veil</title>');
    expectSecurityHeaders(index);

    const module = await get('app://veil/assets/index.mjs');
    expect(module.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expectSecurityHeaders(module);

    const wasm = await get('app://veil/assets/codec.wasm');
    expect(wasm.headers.get('Content-Type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    expectSecurityHeaders(wasm);
  });

  it('answers every refusal and miss with the security headers too', async () => {
    const cases: [string, number, string?][] = [
      ['app://veil/missing.js', 404],
      ['app://veil/assets', 404],
      ['app://veil/..%2fsecret.txt', 403],
      ['app://veil/assets/..%2f..%2fsecret.txt', 403],
      ['app://veil/%2e%2e%2frenderer-evil%2fx.js', 403],
      ['app://veil/assets/link.js', 403],
      ['app://other/index.html', 403],
      ['app://veil/index.html', 405, 'POST'],
    ];
    for (const [url, status, method] of cases) {
      const response = await get(url, method);
      expect(response.status, url).toBe(status);
      expectSecurityHeaders(response);
      expect(await response.text()).not.toContain('patient list');
    }
  });

  it('answers HEAD without a body', async () => {
    const response = await get('app://veil/index.html', 'HEAD');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
