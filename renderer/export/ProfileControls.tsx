// The export profile picker of the export panel and the batch queue, as files shared
// with `veil deid --profile`: Load profile… and Save profile… go through main's dialogs
// on the desktop (main checks and writes the file); in a browser, a file input and a download.
import { useRef, useState } from 'react';
import { getVeilApi } from '../api/veilApi';
import { bundledProfiles, profileFromText, profileToSave, type OfferedProfile } from './profiles';

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function message(cause: unknown): string {
  return cause instanceof Error ? cause.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '') : String(cause);
}

/** The profiles offered (the bundled ones, then those loaded) and the one chosen. */
export interface ProfileChoice {
  profiles: OfferedProfile[];
  index: number;
  chosen: OfferedProfile;
  select: (index: number) => void;
  /** Offers a loaded profile and chooses it. */
  add: (profile: OfferedProfile) => void;
}

export function useProfileChoice(): ProfileChoice {
  const [profiles, setProfiles] = useState<OfferedProfile[]>(bundledProfiles);
  const [index, select] = useState(0);
  const add = (profile: OfferedProfile) => {
    setProfiles((current) => [...current, profile]);
    select(profiles.length);
  };
  return { profiles, index, chosen: profiles[index] ?? profiles[0]!, select, add };
}

export function ProfileControls(props: {
  /** Test ids and class names: `${prefix}-profile`, `${prefix}-load-profile`, … */
  prefix: 'export' | 'queue';
  choice: ProfileChoice;
  busy: boolean;
  /** The pixel options as set next to the picker: a saved profile carries them. */
  pixelOptions: { cleanPixelData: boolean; cleanRecognizableVisualFeatures: boolean };
}) {
  const { prefix, choice } = props;
  const api = getVeilApi();
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const loaded = (text: string, fileName: string) => {
    try {
      choice.add(profileFromText(text, fileName));
      setNote(null);
    } catch (cause) {
      setNote({ error: true, text: `${fileName} is not a Veil profile: ${message(cause)}` });
    }
  };

  const load = async () => {
    if (!api.loadProfileFile) {
      input.current?.click();
      return;
    }
    try {
      const file = await api.loadProfileFile();
      if (file) loaded(file.text, file.fileName);
    } catch (cause) {
      setNote({ error: true, text: message(cause) });
    }
  };

  const save = async () => {
    const text = profileToSave(choice.chosen.text, props.pixelOptions);
    if (!api.saveProfileFile) {
      download(`${JSON.stringify(JSON.parse(text), null, 2)}\n`, 'veil-profile.json');
      return;
    }
    try {
      const file = await api.saveProfileFile(text);
      if (file) setNote({ error: false, text: `Saved to ${file}: use it with veil deid --profile "${file}"` });
    } catch (cause) {
      setNote({ error: true, text: message(cause) });
    }
  };

  return (
    <div className={`${prefix}-profile-controls`}>
      <label className="export-field">
        Profile
        <select data-testid={`${prefix}-profile`} value={choice.index} disabled={props.busy} onChange={(e) => choice.select(Number(e.target.value))}>
          {choice.profiles.map((p, index) => (
            <option key={`${p.name}#${index}`} value={index}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <p className="privacy-muted export-profile-description">{choice.chosen.description}</p>
      <button type="button" data-testid={`${prefix}-load-profile`} disabled={props.busy} onClick={() => void load()}>
        Load profile…
      </button>{' '}
      <button type="button" data-testid={`${prefix}-save-profile`} disabled={props.busy} onClick={() => void save()}>
        Save profile…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        aria-label="Profile file"
        data-testid={`${prefix}-profile-file`}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void file.text().then((text) => loaded(text, file.name));
        }}
      />
      {note && (
        <p className={note.error ? 'privacy-error' : 'privacy-muted'} role={note.error ? 'alert' : 'status'} data-testid={`${prefix}-profile-note`}>
          {note.text}
        </p>
      )}
    </div>
  );
}
