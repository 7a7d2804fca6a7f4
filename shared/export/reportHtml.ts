// The audit report as one self-contained HTML page: inline style, no scripts,
// no external resources, every value escaped.
import type { FaceReport } from './deface';
import type { MarkerReport } from './seriesPixels';
import type { ExportReport, FileReport } from './report';
import { ReportTotals, type ExportReportHead } from './reportStream';
import { plainSummaryOf } from './reportSummary';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
code{font-family:ui-monospace,monospace;font-size:.9em}
.exported{color:#17663a}.skipped{color:#6b6b6b}.failed{color:#b3261e;font-weight:600}
.banner{padding:.75rem 1rem;border-radius:6px;margin:1rem 0}
.banner.ok{background:#e7f5ec}.banner.bad{background:#fdecea}
details{margin:.25rem 0}summary{cursor:pointer}
.plain{font-size:15px;max-width:46rem}.plain h3{font-size:1rem;margin:1rem 0 .25rem}.plain li{margin:.2rem 0}
@media print{body{margin:0;font-size:11px}.plain{font-size:12px}.banner{border:1px solid #999}
table{page-break-inside:auto}tr,figure{page-break-inside:avoid}h2{page-break-after:avoid}img{max-width:8rem}summary{list-style:none}}
`;

/** What was removed and what the copy still shows, in plain words, above the detail. */
function plainSection(report: ExportReportHead, totals: ReportTotals): string {
  const { removed, stillShows } = plainSummaryOf(report, totals);
  const list = (items: string[], empty: string) => `<ul>${(items.length > 0 ? items : [empty]).map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  return `<section class="plain" id="summary"><h2>In plain words</h2>
<h3>What was removed</h3>${list(removed, 'Nothing was removed.')}
<h3>What the copy still shows</h3>${list(stillShows, 'Nothing else.')}
<p>The technical detail of every change, file by file, follows below.</p></section>`;
}

function statusCell(file: FileReport): string {
  return `<span class="${file.status}">${escapeHtml(file.status)}</span>`;
}

function verificationText(file: FileReport): string {
  const v = file.verification;
  if (!v) return '';
  if (v.unreadable) return `could not be read back: ${v.unreadable}`;
  if (v.ok) return `clean (${v.searchedTerms} terms searched)`;
  return `${v.findings.length} finding(s): ${v.findings.map((f) => `${f.kind} from ${f.source} in ${f.where}`).join('; ')}`;
}

function actionsTable(file: FileReport): string {
  if (!file.actions || file.actions.length === 0) return '';
  const rows = file.actions
    .map(
      (a) =>
        `<tr><td><code>${escapeHtml(a.path)}</code></td><td>${escapeHtml(a.keyword)}</td><td>${escapeHtml(a.action)}</td><td>${escapeHtml(a.rule)}</td></tr>`,
    )
    .join('');
  return `<details><summary>${file.actions.length} element actions</summary><table><thead><tr><th>Element</th><th>Keyword</th><th>Action</th><th>Rule</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function redactionsTable(file: FileReport): string {
  if (!file.redactions || file.redactions.length === 0) return '';
  const rows = file.redactions
    .map((b) => {
      const where = `${b.image === 'pixels' ? '' : `${b.image}, `}frame ${b.frame === 'all' ? 'all' : b.frame + 1}`;
      const why = b.origin === 'user' ? 'drawn by the user' : `${b.origin}${b.textClass ? ` (${b.textClass})` : ''}`;
      return `<tr><td>${escapeHtml(where)}</td><td>${b.x}, ${b.y}, ${b.width} × ${b.height}</td><td>${escapeHtml(why)}</td></tr>`;
    })
    .join('');
  return `<details><summary>${file.redactions.length} pixel box(es) filled</summary><table><thead><tr><th>Where</th><th>Box (x, y, w × h)</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

/** One file's row of the Files table. */
export function reportHtmlRow(file: FileReport): string {
  const summary = file.summary
    ? Object.entries(file.summary)
        .map(([action, n]) => `${escapeHtml(action)} ${n}`)
        .join(', ')
    : '';
  return `<tr><td><code>${escapeHtml(file.input)}</code></td><td>${statusCell(file)}</td><td><code>${escapeHtml(file.output ?? '')}</code></td><td>${escapeHtml(file.reason ?? '')}${file.resumed ? ' (already exported by an earlier run)' : ''}</td><td>${escapeHtml(summary)}</td><td>${escapeHtml(verificationText(file))}${actionsTable(file)}${redactionsTable(file)}</td></tr>`;
}

const faceStatus: Record<FaceReport['status'], string> = {
  defaced: 'face removed',
  'no-face': 'no face found',
  'not-checked': 'not checked',
  failed: 'FAILED: face still found',
};

/** Per series: what the face check found and did, with the before/after renders (data: URLs, nothing fetched). */
function facesSection(report: ExportReportHead): string {
  if (!report.faces || report.faces.length === 0) return '';
  const rows = report.faces
    .map((f) => {
      const renders = (f.renders ?? [])
        .map(
          (r) =>
            `<figure><img alt="before, yaw ${r.yaw}°" src="${escapeHtml(r.before)}"><img alt="after, yaw ${r.yaw}°" src="${escapeHtml(r.after)}"><figcaption>yaw ${r.yaw}°, pitch ${r.pitch}°: before | after</figcaption></figure>`,
        )
        .join('');
      return `<tr><td><code>${escapeHtml(f.input)}</code> (${f.files} file(s))</td><td>${escapeHtml(faceStatus[f.status])}</td><td>${escapeHtml(f.reason)}</td><td>${renders}</td></tr>`;
    })
    .join('');
  return `<h2>Faces</h2><table><thead><tr><th>Series</th><th>Result</th><th>Why</th><th>Renders</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const markerStatus: Record<MarkerReport['status'], string> = {
  removed: 'markers removed',
  'none-found': 'none removed',
  'not-checked': 'not checked',
  failed: 'FAILED: marker still found',
};

const mm = (values: readonly number[]) => values.map((v) => v.toFixed(1)).join(', ');

/** Per series: each skin marker's place (LPS mm), size, what filled it and the files it changed. */
function markersSection(report: ExportReportHead): string {
  if (!report.markers || report.markers.length === 0) return '';
  const rows = report.markers
    .map((s) => {
      const list = (s.markers ?? [])
        .map(
          (m) =>
            `<li>${escapeHtml(m.kind)} at (${escapeHtml(mm(m.position))}) mm, ${escapeHtml(mm(m.sizeMm))} mm: ${m.removed ? `filled with ${escapeHtml(m.fill ?? '')} in ${m.files.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ')}` : 'kept'}</li>`,
        )
        .join('');
      const painted = (s.painted ?? [])
        .map((r) => `<li>painted region at (${escapeHtml(mm(r.position))}) mm, radius ${r.radiusMm.toFixed(1)} mm: ${r.voxels} voxel(s) filled with soft tissue in ${r.files.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ') || 'no file (nothing in the skin there)'}</li>`)
        .join('');
      const all = list + painted;
      return `<tr><td><code>${escapeHtml(s.input)}</code> (${s.files} file(s))</td><td>${escapeHtml(markerStatus[s.status])}</td><td>${escapeHtml(s.reason)}</td><td>${all ? `<ul>${all}</ul>` : ''}</td></tr>`;
    })
    .join('');
  return `<h2>Skin markers</h2><table><thead><tr><th>Series</th><th>Result</th><th>Why</th><th>Markers</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A readable, printable page for the person who exported. */
export function renderReportHtml(report: ExportReport): string {
  const { head, tail } = reportHtmlFrame(report, ReportTotals.of(report.files));
  return head + report.files.map(reportHtmlRow).join('') + tail;
}

/** The page around the Files table's rows, from the head and the entries' totals (the rows may come from disk). */
export function reportHtmlFrame(report: ExportReportHead, totals: ReportTotals): { head: string; tail: string } {
  const counts = totals.counts;
  const banner = report.complete
    ? `<div class="banner ok">Export complete: ${counts.exported} file(s) exported and verified.</div>`
    : `<div class="banner bad">Export incomplete${report.interrupted ? ' (interrupted — run it again to resume)' : ''}: ${counts.exported} exported, ${counts.failed} failed, ${counts.skipped} skipped.</div>`;
  const extras = report.extras.map((e) => `<li><code>${escapeHtml(e.output)}</code> — ${escapeHtml(e.kind)}${e.detail ? `: ${escapeHtml(e.detail)}` : ''}</li>`).join('');
  const notes = report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('');
  const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Veil export report</title><style>${style}</style></head>
<body>
<h1>Veil export report</h1>
${banner}
${plainSection(report, totals)}
<table>
<tr><th>Output folder</th><td><code>${escapeHtml(report.outputFolder)}</code></td></tr>
<tr><th>Profile</th><td>${escapeHtml(report.profile.name)}: ${escapeHtml(report.profile.options.join(', '))}</td></tr>
<tr><th>Started</th><td>${escapeHtml(report.startedAt)}</td></tr>
<tr><th>Finished</th><td>${escapeHtml(report.finishedAt)}</td></tr>
<tr><th>Veil</th><td>${escapeHtml(report.version)}</td></tr>
</table>
${notes ? `<h2>Notes</h2><ul>${notes}</ul>` : ''}
${extras ? `<h2>Also written</h2><ul>${extras}</ul>` : ''}
${facesSection(report)}
${markersSection(report)}
<h2>Files</h2>
<table><thead><tr><th>Input</th><th>Status</th><th>Output</th><th>Reason</th><th>Actions</th><th>Verification</th></tr></thead>
<tbody>`;
  return { head, tail: `</tbody></table>
</body></html>
` };
}
