// npm run fuzz -- [--inputs 10000] [--seed 1] [--timeout-ms 60000] [--heap-mb 768] [--rss-mb 1536] [--out failures.json]
// Prints progress, then the counts by outcome and typed error, and every crash,
// hang and OOM with its recipe (source + seed: replay with --replay file.json).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runFuzz, type FuzzCase, type Outcome } from './harness';

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    'timeout-ms': { type: 'string', default: '60000' },
    'heap-mb': { type: 'string', default: '768' },
    'rss-mb': { type: 'string', default: '1536' },
    out: { type: 'string' },
    replay: { type: 'string' },
  },
});

const inputs = Number(values.inputs);
const cases = values.replay ? (JSON.parse(readFileSync(values.replay, 'utf8')) as { failures?: FuzzCase[] } | FuzzCase[]) : undefined;
const replay = cases ? (Array.isArray(cases) ? cases : (cases.failures ?? [])).map(({ source, seed }) => ({ source, seed })) : undefined;
const total = replay?.length ?? inputs;
const running: Record<Outcome, number> = { ok: 0, typed: 0, crash: 0, hang: 0, oom: 0 };
const began = Date.now();
let unreadableShown = 0;

const summary = await runFuzz({
  inputs,
  seed: Number(values.seed),
  cases: replay,
  timeoutMs: Number(values['timeout-ms']),
  heapMb: Number(values['heap-mb']),
  rssBudgetMb: Number(values['rss-mb']),
  onResult: (result, index) => {
    running[result.outcome]++;
    if (result.outcome !== 'ok' && result.outcome !== 'typed') {
      const stage = result.results.find((r) => r.verdict === 'crash');
      console.log(`\n${result.outcome.toUpperCase()} #${index} ${result.source} seed ${result.seed}: ${result.ops.join('; ')}`);
      console.log(`  ${result.detail ?? `${stage?.stage}: ${stage?.error}: ${stage?.message}`}`);
      if (stage?.stack) console.log(stage.stack.replace(/^/gm, '    '));
    }
    const unreadable = result.results.find((r) => r.error === 'UnreadableCopy');
    if (unreadable && unreadableShown++ < 50) console.log(`\nunreadable copy #${index} ${result.source} seed ${result.seed}: ${result.ops.join('; ')}: ${unreadable.message}`);
    if ((index + 1) % 250 === 0 || index + 1 === total) {
      const rate = (index + 1) / ((Date.now() - began) / 1000);
      process.stdout.write(`${index + 1}/${total} ${JSON.stringify(running)} ${rate.toFixed(1)}/s\n`);
    }
  },
});

console.log(`\n${summary.inputs} inputs in ${summary.seconds.toFixed(0)} s`);
console.table(summary.counts);
console.log('typed errors (per stage result):');
console.table(summary.typed);
console.log(`slowest input: ${summary.slowest.ms} ms (${summary.slowest.source} seed ${summary.slowest.seed}: ${summary.slowest.ops.join('; ')})`);
console.log(`peak resident growth while an input ran: ${summary.peakRssGrowthMb} MB`);
if (values.out) writeFileSync(values.out, JSON.stringify(summary, null, 2));
process.exitCode = summary.counts.crash + summary.counts.hang + summary.counts.oom > 0 ? 1 : 0;
