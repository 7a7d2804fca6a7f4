// Deterministic replacements keyed by the user's secret (PS3.15 E.3.6, E.3.9):
// same secret + same original → same output, across files, series and runs,
// and nothing about the original can be recovered without the secret.
import { hmacSha256, type Hmac } from './sha256';

/** Well-known UIDs (SOP classes, transfer syntaxes, coding schemes) are not identifying. */
export const wellKnownUidRoot = '1.2.840.10008.';

// Unambiguous upper-case letters and digits (no 0/O, 1/I): pseudonyms are read aloud and typed.
const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Shifts go back between one and ten years: never zero, so a shifted date never equals the original. */
const minShiftDays = 366;
const shiftRangeDays = 3287;

export class Pseudonyms {
  private readonly hmac: Hmac;
  private readonly uids = new Map<string, string>();

  constructor(secret: string) {
    if (secret.length === 0) throw new Error('De-identification needs a non-empty secret.');
    this.hmac = hmacSha256(secret);
  }

  /** 2.25.<128 bits of HMAC-SHA-256(secret, uid) as decimal> (PS3.5 B.2); at most 44 characters. */
  uid(original: string): string {
    if (original === '' || original.startsWith(wellKnownUidRoot)) return original;
    let replaced = this.uids.get(original);
    if (replaced === undefined) {
      const digest = this.hmac(`uid:${original}`);
      let value = 0n;
      for (let i = 0; i < 16; i++) value = (value << 8n) | BigInt(digest[i]);
      replaced = `2.25.${value.toString()}`;
      // Bounded memo: a study's UIDs repeat in every file of its series.
      if (this.uids.size > 100_000) this.uids.clear();
      this.uids.set(original, replaced);
    }
    return replaced;
  }

  /** Per-patient answers (name, ID, day shift): every file of a patient asks again. */
  private readonly perPatient = new Map<string, string | number>();

  private memo<T extends string | number>(key: string, make: () => T): T {
    let found = this.perPatient.get(key) as T | undefined;
    if (found === undefined) {
      found = make();
      if (this.perPatient.size > 30_000) this.perPatient.clear();
      this.perPatient.set(key, found);
    }
    return found;
  }

  private code(purpose: string, key: string, length: number): string {
    return this.memo(`${purpose}:${key}`, () => {
      const digest = this.hmac(`${purpose}:${key}`);
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[digest[i] & 31];
      return out;
    });
  }

  /** PatientName pseudonym: "VEIL^" + 8 characters, ASCII so every character set can hold it. */
  patientName(patientKey: string): string {
    return `VEIL^${this.code('patient-name', patientKey, 8)}`;
  }

  /** PatientID pseudonym: "VEIL-" + 10 characters. */
  patientId(patientKey: string): string {
    return `VEIL-${this.code('patient-id', patientKey, 10)}`;
  }

  /** Whole days to add to every date of this patient (negative); whole days keep times of day and intervals. */
  dayShift(patientKey: string): number {
    return this.memo(`date-shift:${patientKey}`, () => {
      const digest = this.hmac(`date-shift:${patientKey}`);
      const value = ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
      return -(minShiftDays + (value % shiftRangeDays));
    });
  }
}
