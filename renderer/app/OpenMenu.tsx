// Open files, a folder, a recent study or the sample.
import { useEffect, useState } from 'react';
import type { OpenResult, RecentStudy } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { usePrivacyMode } from '../review/PrivacyMode';

interface Props {
  busy: boolean;
  run: (request: () => Promise<OpenResult | null>) => Promise<void>;
  /** Changes whenever something was opened, to refresh the recent list. */
  openedSource: string | undefined;
}

export function OpenMenu({ busy, run, openedSource }: Props) {
  const api = getVeilApi();
  const [recent, setRecent] = useState<RecentStudy[]>([]);
  const privacy = usePrivacyMode();

  useEffect(() => {
    let live = true;
    api.recentStudies().then((list) => live && setRecent(list), () => undefined);
    return () => {
      live = false;
    };
  }, [api, openedSource]);

  return (
    <nav className="open-menu" aria-label="Open">
      <button type="button" data-testid="open-files" aria-label="Open files" disabled={busy} onClick={() => run(() => api.openFilesDialog())}>
        Open files…
      </button>
      <button type="button" data-testid="open-folder" aria-label="Open folder" disabled={busy} onClick={() => run(() => api.openFolderDialog())}>
        Open folder…
      </button>
      <button type="button" data-testid="open-sample" aria-label="Open the sample study" disabled={busy} onClick={() => run(() => api.openSample())}>
        Sample
      </button>
      <select
        data-testid="open-recent"
        aria-label="Recent studies"
        disabled={busy || recent.length === 0}
        value=""
        onChange={(event) => {
          const source = event.target.value;
          if (source) void run(() => api.openRecent(source));
        }}
      >
        <option value="">Recent…</option>
        {recent.map((study, index) => (
          <option key={study.source} value={study.source}>
            {privacy.hidden ? `Recent study ${index + 1}` : study.label}
          </option>
        ))}
      </select>
    </nav>
  );
}
