// Browser mode's export over the File System Access API (Chromium): the folder
// comes from showDirectoryPicker, the work from the shared engine
// (renderer/export/browserExport.ts). Where the API is missing (Firefox,
// Safari) these methods are left out and the UI says export needs the desktop app.
import type { ExportProgressEvent, FileId, VeilApi } from '../../shared/api/contract';
import { defaultProfile, parseProfile } from '../../shared/deid';
import { renderReportHtml, summariseReport } from '../../shared/export';
import { exportToFolder } from '../export/browserExport';

type ExportMethods = Pick<VeilApi, 'chooseExportFolder' | 'exportStudy' | 'cancelExport' | 'onExportProgress' | 'openExportReport'>;

type DirectoryPicker = (options?: { mode?: 'read' | 'readwrite'; id?: string }) => Promise<FileSystemDirectoryHandle>;

const secretKey = 'veil.uid-secret';

/**
 * The UID / pseudonym secret of this browser profile (PS3.15 E.3.9): kept in the
 * origin's local storage, so the same inputs get the same UIDs across exports.
 */
export function browserSecret(): string {
  const known = localStorage.getItem(secretKey);
  if (known) return known;
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  localStorage.setItem(secretKey, secret);
  return secret;
}

export function createBrowserExportApi(files: {
  read(fileId: FileId): Promise<ArrayBuffer>;
  displayPath(fileId: FileId): string;
}): ExportMethods {
  const picker = (window as unknown as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  if (typeof picker !== 'function') return {};
  const folders = new Map<string, FileSystemDirectoryHandle>();
  const listeners = new Set<(event: ExportProgressEvent) => void>();
  let running: AbortController | null = null;
  let lastReport: { html: string; name: string } | null = null;

  return {
    async chooseExportFolder() {
      let handle: FileSystemDirectoryHandle;
      try {
        handle = await picker.call(window, { mode: 'readwrite', id: 'veil-export' });
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') return null;
        throw error;
      }
      // The folder's name stands for the handle (a page never learns the path).
      let token = handle.name;
      for (let n = 2; folders.has(token) && folders.get(token) !== handle; n++) token = `${handle.name} (${n})`;
      folders.set(token, handle);
      return token;
    },
    async exportStudy(request) {
      const folder = folders.get(request.target);
      if (!folder) throw new Error('Export only into a folder chosen in the export dialog');
      if (running) throw new Error('An export is already running');
      const profile = request.profile ? parseProfile(request.profile) : defaultProfile;
      // Proving the text gone needs OCR, which runs in the desktop app (and `veil deid --clean-pixels`).
      if (profile.options.includes('cleanPixelData') || profile.options.includes('cleanRecognizableVisualFeatures')) {
        throw new Error('Removing burned-in text or faces needs the Veil desktop app, where the copies are checked again. Untick it to export here.');
      }
      if (request.skinMarkers) throw new Error('Removing marks on the skin (found or painted) needs the Veil desktop app, where each volume is searched again. Untick it to export here.');
      const controller = new AbortController();
      running = controller;
      try {
        const inputs = request.fileIds.map((id) => ({ displayPath: files.displayPath(id), read: () => files.read(id) }));
        const report = await exportToFolder(folder, inputs, {
          profile,
          secret: browserSecret(),
          signal: controller.signal,
          onProgress: (done, total, file) => listeners.forEach((l) => l({ done, total, file: file.input, status: file.status })),
        });
        if (request.options?.nifti) report.notes.unshift('NIfTI volumes are written by the desktop app only.');
        const name = `veil-export-${report.startedAt.replace(/[:.]/g, '-')}.html`;
        lastReport = { html: renderReportHtml(report), name };
        return summariseReport(report, { html: `${name} (saved to your downloads by "Open report")`, json: null });
      } finally {
        running = null;
      }
    },
    async cancelExport() {
      if (!running) return false;
      running.abort();
      return true;
    },
    onExportProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async openExportReport() {
      if (!lastReport) throw new Error('There is no export report to open');
      // The report names the input files: it goes to the user's downloads, never into the export.
      const url = URL.createObjectURL(new Blob([lastReport.html], { type: 'text/html' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = lastReport.name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  };
}
