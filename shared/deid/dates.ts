// Shifting DA and DT values by whole days (PS3.15 E.3.6, Retain Longitudinal
// Temporal Information with Modified Dates). Times of day (TM) are unchanged by
// a whole-day shift, so intervals between any two date-times survive.

const dayMs = 86_400_000;

function shiftYmd(ymd: string, days: number): string | undefined {
  const year = Number(ymd.slice(0, 4));
  const month = Number(ymd.slice(4, 6));
  const day = Number(ymd.slice(6, 8));
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  // Reject impossible dates rather than let Date roll 20010231 into March.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const shifted = new Date(time + days * dayMs);
  const y = shifted.getUTCFullYear();
  if (y < 1 || y > 9999) return undefined;
  return `${String(y).padStart(4, '0')}${String(shifted.getUTCMonth() + 1).padStart(2, '0')}${String(shifted.getUTCDate()).padStart(2, '0')}`;
}

/** One DA value, also a range "A-B" or the ACR-NEMA "YYYY.MM.DD" form; undefined if not a full date. */
export function shiftDate(value: string, days: number): string | undefined {
  const v = value.trim();
  if (v === '') return '';
  const range = /^(\d{8})?-(\d{8})?$/.exec(v);
  if (range && (range[1] || range[2])) {
    const from = range[1] ? shiftYmd(range[1], days) : '';
    const to = range[2] ? shiftYmd(range[2], days) : '';
    return from === undefined || to === undefined ? undefined : `${from}-${to}`;
  }
  const acrNema = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(v);
  if (acrNema) return shiftYmd(acrNema[1] + acrNema[2] + acrNema[3], days);
  return /^\d{8}$/.test(v) ? shiftYmd(v, days) : undefined;
}

/** One DT value: the date part is shifted, time and UTC offset kept; undefined without a full date. */
export function shiftDateTime(value: string, days: number): string | undefined {
  const v = value.trim();
  if (v === '') return '';
  const parts = v.split('-');
  // A DT range "A-B" vs a negative UTC offset "...-0500": a range has a full date after the dash.
  if (parts.length === 2 && /^\d{8}/.test(parts[1]) && /^\d{8}/.test(parts[0])) {
    const from = shiftDateTime(parts[0], days);
    const to = shiftDateTime(parts[1], days);
    return from === undefined || to === undefined ? undefined : `${from}-${to}`;
  }
  const match = /^(\d{8})(.*)$/.exec(v);
  if (!match) return undefined;
  const date = shiftYmd(match[1], days);
  return date === undefined ? undefined : date + match[2];
}
