// The report's opening in plain words, for a patient rather than an auditor:
// what the copy no longer holds, and what it still shows. Counts come from the
// per-file detail below it in the same report, so the two cannot disagree.
import type { DeidAction } from '../deid';
import { countByStatus, type ExportReport } from './report';

export interface PlainSummary {
  removed: string[];
  stillShows: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function actionTotals(report: ExportReport): Partial<Record<DeidAction, number>> {
  const totals: Partial<Record<DeidAction, number>> = {};
  for (const file of report.files) {
    for (const [action, n] of Object.entries(file.summary ?? {}) as Array<[DeidAction, number]>) totals[action] = (totals[action] ?? 0) + n;
  }
  return totals;
}

/** Element names the copies keep, "PatientSex" → "Patient Sex", most frequent first. */
function keptNames(report: ExportReport): string[] {
  const counts = new Map<string, number>();
  for (const file of report.files) {
    for (const a of file.actions ?? []) if (a.action === 'kept' && a.keyword) counts.set(a.keyword, (counts.get(a.keyword) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([keyword]) => keyword.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

export function plainSummary(report: ExportReport): PlainSummary {
  const counts = countByStatus(report.files);
  const totals = actionTotals(report);
  const options = report.profile.options;
  const removed: string[] = [];
  const stillShows: string[] = [];
  const exported = report.files.filter((f) => f.status === 'exported');

  const gone = (totals.removed ?? 0) + (totals.emptied ?? 0) + (totals.cleaned ?? 0);
  const replaced = (totals.replaced ?? 0) + (totals['uid-replaced'] ?? 0);
  if (gone + replaced > 0) {
    removed.push(
      `Details about you in the file headers (names, ID numbers, addresses, the hospital): ${plural(gone, 'entry', 'entries')} taken out and ${plural(replaced, 'entry', 'entries')} replaced with stand-in values, in ${plural(exported.length, 'file')}.`,
    );
  }
  if ((totals.shifted ?? 0) > 0) removed.push(`Dates moved by a fixed number of days: ${plural(totals.shifted ?? 0, 'date')} (the time between your scans stays right).`);

  const boxed = exported.filter((f) => (f.redactions ?? []).length > 0);
  if (boxed.length > 0) {
    const boxes = boxed.reduce((n, f) => n + (f.redactions?.length ?? 0), 0);
    removed.push(`Text written into the images: ${plural(boxes, 'area')} covered in black in ${plural(boxed.length, 'image')}; each copy was read again to check the text is gone.`);
  }
  const defaced = (report.faces ?? []).filter((f) => f.status === 'defaced');
  if (defaced.length > 0) {
    removed.push(`Your face: removed from ${plural(defaced.length, 'head scan')}; the copy was drawn again from every side and no face was found.`);
  }

  const marks = (report.markers ?? []).flatMap((m) => m.markers ?? []);
  const marksGone = marks.filter((m) => m.removed).length;
  if (marksGone > 0) removed.push(`Marks on your skin (tattoo ink, markers, piercings): ${plural(marksGone, 'mark')} filled in; the copy was searched again and none was found.`);
  if (marks.length > marksGone) stillShows.push(`${plural(marks.length - marksGone, 'mark')} on your skin, kept as chosen.`);
  const painted = (report.markers ?? []).flatMap((m) => m.painted ?? []).filter((r) => r.voxels > 0);
  if (painted.length > 0) removed.push(`Areas you painted on the skin (scars): ${plural(painted.length, 'area')} filled in with the surrounding tissue.`);

  if (!options.includes('cleanPixelData')) stillShows.push('Text written into the images, if there is any: removing it was not chosen.');
  else if (report.profile.technicalText !== 'redact') {
    stillShows.push('Technical labels written into the images (such as scanner settings, kV, window levels, rulers): they identify no one and help the person reading the images.');
  }
  if (!options.includes('cleanRecognizableVisualFeatures')) stillShows.push('A face, if a scan shows the head: removing faces was not chosen.');
  for (const face of report.faces ?? []) {
    if (face.status === 'failed') stillShows.push(`A face may still be rebuilt from ${face.input}: removing it failed (see Faces below).`);
  }
  const kept = keptNames(report);
  if (kept.length > 0) {
    const shown = kept.slice(0, 8).join(', ');
    stillShows.push(`Details kept because they matter for reading the images: ${shown}${kept.length > 8 ? `, and ${kept.length - 8} more` : ''}.`);
  }
  stillShows.push('The images themselves: what your body looks like inside.');
  const unverified = exported.filter((f) => f.verification && !f.verification.ok).length;
  if (unverified > 0) stillShows.push(`${plural(unverified, 'copied file')} failed the final check: look at the details below before sharing.`);
  if (counts.skipped + counts.failed > 0) {
    stillShows.push(`${plural(counts.skipped + counts.failed, 'file')} could not be copied (listed below with the reason): they are not in the copy.`);
  }
  if (report.interrupted) stillShows.push('The copy was stopped before the end: make the copy into the same folder again to finish it.');
  return { removed, stillShows };
}
