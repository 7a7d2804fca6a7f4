// The report's opening in plain words, for a patient rather than an auditor:
// what the copy no longer holds, and what it still shows. Counts come from the
// per-file detail below it in the same report, so the two cannot disagree.
import type { ExportReport } from './report';
import { ReportTotals, type ExportReportHead } from './reportStream';

export interface PlainSummary {
  removed: string[];
  stillShows: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Element names the copies keep, "PatientSex" → "Patient Sex", most frequent first. */
function keptNames(totals: ReportTotals): string[] {
  return [...totals.kept.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([keyword]) => keyword.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

export function plainSummary(report: ExportReport): PlainSummary {
  return plainSummaryOf(report, ReportTotals.of(report.files));
}

/** The same from a report's head and its entries' totals (the entries may be on disk). */
export function plainSummaryOf(report: ExportReportHead, totals: ReportTotals): PlainSummary {
  const counts = totals.counts;
  const actions = totals.actions;
  const options = report.profile.options;
  const removed: string[] = [];
  const stillShows: string[] = [];
  const exported = counts.exported;

  const gone = (actions.removed ?? 0) + (actions.emptied ?? 0) + (actions.cleaned ?? 0);
  const replaced = (actions.replaced ?? 0) + (actions['uid-replaced'] ?? 0);
  if (gone + replaced > 0) {
    removed.push(
      `Details about you in the file headers (names, ID numbers, addresses, the hospital): ${plural(gone, 'entry', 'entries')} taken out and ${plural(replaced, 'entry', 'entries')} replaced with stand-in values, in ${plural(exported, 'file')}.`,
    );
  }
  if ((actions.shifted ?? 0) > 0) removed.push(`Dates moved by a fixed number of days: ${plural(actions.shifted ?? 0, 'date')} (the time between your scans stays right).`);

  if (totals.boxedFiles > 0) {
    removed.push(`Text written into the images: ${plural(totals.boxes, 'area')} covered in black in ${plural(totals.boxedFiles, 'image')}; each copy was read again to check the text is gone.`);
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
  const kept = keptNames(totals);
  if (kept.length > 0) {
    const shown = kept.slice(0, 8).join(', ');
    stillShows.push(`Details kept because they matter for reading the images: ${shown}${kept.length > 8 ? `, and ${kept.length - 8} more` : ''}.`);
  }
  stillShows.push('The images themselves: what your body looks like inside.');
  const unverified = totals.unverified;
  if (unverified > 0) stillShows.push(`${plural(unverified, 'copied file')} failed the final check: look at the details below before sharing.`);
  if (counts.skipped + counts.failed > 0) {
    stillShows.push(`${plural(counts.skipped + counts.failed, 'file')} could not be copied (listed below with the reason): they are not in the copy.`);
  }
  if (report.interrupted) stillShows.push('The copy was stopped before the end: make the copy into the same folder again to finish it.');
  return { removed, stillShows };
}
