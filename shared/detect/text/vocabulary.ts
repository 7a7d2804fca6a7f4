// The words burned-in text is made of, as OCR spells them: its letter-for-digit slips
// folded away, months and weekdays, and the vocabulary of acquisition parameters.
/** OCR confusions folded to one spelling: O/Q→0, I/l/|/!→1, S→5, B→8, Z→2, G→6; separators dropped. */
export function foldOcr(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) {
    const mapped = fold[ch];
    if (mapped !== undefined) out += mapped;
    else if (/[0-9A-Z]/.test(ch) || ch.charCodeAt(0) > 0x7f) out += ch;
  }
  return out;
}

const fold: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', '|': '1', '!': '1', S: '5', B: '8', Z: '2', G: '6' };

const months = 'JAN(UARY)?|FEB(RUARY)?|MAR(CH)?|APR(IL)?|MAY|JUNE?|JULY?|AUG(UST)?|SEP(T|TEMBER)?|OCT(OBER)?|NOV(EMBER)?|DEC(EMBER)?';
const weekdays = 'MON(DAY)?|TUE(S|SDAY)?|WED(NESDAY)?|THU(R|RS|RSDAY)?|FRI(DAY)?|SAT(URDAY)?|SUN(DAY)?';
// A month or weekday as a word, or glued to day/year digits ("30JAN94", "JAN_94").
export const monthWord = new RegExp(`^\\d{0,4}(${months})\\d{0,4}[.,]?$`);
export const weekdayWord = new RegExp(`^(${weekdays})[.,]?$`);

/** Words that describe the acquisition, not the person. */
export const technicalWords = new Set(
  (
    'KV KVP MA MAS MS S W L WW WL WC C HU TILT FOV DFOV SFOV GAIN COMP DR FR MI TI TIS TIB TIC BONE STND STANDARD SOFT LUNG ' +
    'DETAIL SURFACE AXIAL AX COR CORONAL SAG SAGITTAL SCOUT TOPO LOCALIZER CONTRAST PRE POST LEFT RIGHT ANT SUP INF ' +
    'ZOOM DEPTH FREQ XMIT PROC SPEED DYN RANGE PERSIST FOCUS MAP CW PW CFM THI PWR POWER PRF WF HZ KHZ MHZ CM MM M DB BPM ' +
    'FPS SE IM IMA IMG SL SLICE THK THICKNESS TR TE TI ET FA FLIP NEX AVG MATRIX BW ROT SCAN SERIES SER ACQ SEQ ' +
    'T1 T2 PD FLAIR DWI ADC SWI GRE TSE FSE EPI MPR MIP VR 2D 3D 4D CINE LIVE FRZ FREEZE R L A P H F RAO LAO CRA CAU ' +
    'FRAME FRAMES OF IMAGE WINDOW LEVEL WIDTH ORIENTATION MAG SCALE HELICAL SPIRAL PITCH ROTATION SPACING ' +
    'KERNEL FILTER DOSE CTDI CTDIVOL DLP MGY MSV ECG HR RESP SPO2 TEMP AP PA LAT OBL ERECT SUPINE PRONE DECUBITUS ' +
    'PORTABLE MOBILE UPRIGHT STANDING SITTING MARKER RT LT DIST VEL PEAK MEAN GRAD ANGLE AREA VOL TIME CALIPER'
  ).split(' '),
);

const unit = '(CM|MM|M|HZ|KHZ|MHZ|BPM|DB|%|S|MS|KV|KVP|MA|MAS|DEG|°|FPS|CM/S|MM/S|MGY|MSV|ML|X|SP|T|G)';
export const measure = new RegExp(`^[-+]?\\d+([.,]\\d+)?${unit}?$`);
export const ratio = /^[-+]?\d+([.,]\d+)?(\/[-+]?\d+([.,]\d+)?)+[A-Z]*$/;
export const orientation = /^[RLAPHFSI]{1,4}$/;

/** One slip from a month's or weekday's abbreviation, or its name. */
export function nearMonth(w: string): boolean {
  const letters = w.replace(/[^A-Z]/g, '');
  return [...monthAbbreviations, ...weekdayAbbreviations].some((m) => editDistance(m, letters) <= 1) || monthWord.test(letters) || weekdayWord.test(letters);
}

const weekdayAbbreviations = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), prev[j]! + 1, cur[j - 1]! + 1);
    prev = cur;
  }
  return prev[b.length]!;
}

export const monthAbbreviations = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Letters that differ between two words of one length. */
export function slips(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
