// npm run security: Electronegativity (Doyensec's Electron security scanner) over
// the main process and renderer sources, fully offline, against the allow-list in
// build/security-allowlist.json (each entry says why it is not a problem).
//
// Offline: electronegativity 1.10.3 has no offline flag. It downloads translations
// for $LANG from S3 on every run (locales/i18n.js) and GitHub's Electron release list
// (AvailableSecurityFixesGlobalCheck). Here its `got` is replaced by a stub that
// records the address and answers "404" without touching the network (the bundled
// en-US texts are used), and the release check is excluded: whether Electron 45 is
// the newest patch is a dependency-update question, not a property of Veil's code.
//
// Usage: node build/security-scan.mjs [--json]   (exit 1 on findings not allowed)
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const toolDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));

/** Checks that need the network. */
export const excludedChecks = ['AvailableSecurityFixesGlobalCheck'];

/** Replaces the tool's HTTP client: no request leaves the machine; returns the addresses it was asked for. */
function offlineGot() {
  const attempts = [];
  const stub = (url) => {
    attempts.push(String(url));
    return Promise.resolve({ statusCode: 404, body: '' });
  };
  for (const from of ['dist/locales/i18n.js', 'dist/finder/checks/GlobalChecks/AvailableSecurityFixesGlobalCheck.js']) {
    const resolved = createRequire(path.join(toolDir, from)).resolve('got');
    require.cache[resolved] = { id: resolved, filename: resolved, loaded: true, exports: Object.assign(stub, { default: stub }) };
  }
  return attempts;
}

/** What Veil ships that Electron runs: main process, preload, renderer, and package.json (Electron version). */
function stage(extraFiles) {
  const dir = mkdtempSync(path.join(tmpdir(), 'veil-electronegativity-'));
  const skipTests = (src) => !/\.test\.tsx?$/.test(src);
  cpSync(path.join(root, 'main'), path.join(dir, 'main'), { recursive: true, filter: skipTests });
  cpSync(path.join(root, 'renderer'), path.join(dir, 'renderer'), { recursive: true, filter: skipTests });
  cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  for (const [relative, text] of Object.entries(extraFiles)) writeFileSync(path.join(dir, relative), text);
  return dir;
}

/**
 * Runs the scan. Findings: `{ id, file (relative), line, severity, confidence, sample }`;
 * `allowed` / `unexplained` split them by the allow-list. `extraFiles` (relative path →
 * text) are scanned too: the test plants an insecure window to prove the scanner sees.
 */
export async function scanElectronSecurity({ extraFiles = {} } = {}) {
  const attempts = offlineGot();
  const lang = process.env.LANG;
  process.env.LANG = 'en-US';
  const input = stage(extraFiles);
  try {
    const runner = require(path.join(toolDir, 'dist', 'runner.js'));
    const run = typeof runner === 'function' ? runner : runner.default;
    const result = await run({ input, excludeFromScan: excludedChecks, isRelative: true, parserPlugins: [] }, false);
    const findings = result.issues.map((issue) => ({
      id: issue.id,
      file: issue.file.split(path.sep).join('/'),
      line: issue.location.line,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      sample: String(issue.sample ?? '').slice(0, 160),
      description: issue.description,
    }));
    const allowList = JSON.parse(readFileSync(path.join(root, 'build', 'security-allowlist.json'), 'utf8')).allowed;
    const isAllowed = (f) => allowList.some((a) => a.id === f.id && a.file === f.file);
    return {
      checks: result.globalChecks + result.atomicChecks,
      findings,
      allowed: findings.filter(isAllowed),
      unexplained: findings.filter((f) => !isAllowed(f)),
      unusedAllowances: allowList.filter((a) => !findings.some((f) => f.id === a.id && f.file === a.file)),
      parseErrors: result.errors.filter((e) => !e.tolerable),
      networkAttempts: attempts,
    };
  } finally {
    if (lang === undefined) delete process.env.LANG;
    else process.env.LANG = lang;
    rmSync(input, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await scanElectronSecurity();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`Electronegativity: ${report.checks} checks over main/ and renderer/ (offline; excluded: ${excludedChecks.join(', ')})`);
    for (const f of report.allowed) console.log(`  allowed  ${f.id} ${f.file}:${f.line}`);
    for (const f of report.unexplained) console.log(`  FINDING  ${f.id} [${f.severity}/${f.confidence}] ${f.file}:${f.line}\n           ${f.description}\n           ${f.sample}`);
    for (const e of report.parseErrors) console.log(`  could not parse ${e.file}: ${e.message}`);
    console.log(`${report.findings.length} findings, ${report.allowed.length} allowed, ${report.unexplained.length} unexplained`);
  }
  process.exitCode = report.unexplained.length > 0 || report.parseErrors.length > 0 ? 1 : 0;
}
