// The pixel options' claims (PS3.15 E.1.1, PS3.3 C.7.6.1.1.3): written only by
// an exporter whose pixel checks verified the copy — the header engine itself
// never claims them (see optionInfo.pixel).
import { createDataset, setValue, type Dataset } from '../dicom';
import type { AuditEntry } from './deidentify';
import { optionInfo, type ProfileOption } from './profile';

const claimTag: Partial<Record<ProfileOption, { tag: string; keyword: string }>> = {
  cleanPixelData: { tag: '00280301', keyword: 'BurnedInAnnotation' },
  cleanRecognizableVisualFeatures: { tag: '00280302', keyword: 'RecognizableVisualFeatures' },
};

/**
 * Records on `dataset` (a de-identified copy's, never an original's) that `option` was applied
 * and verified: its attribute set to NO, its CID 7050 code appended to (0012,0064) and its name
 * to (0012,0063). Returns the audit lines.
 */
export function claimPixelOption(dataset: Dataset, option: 'cleanPixelData' | 'cleanRecognizableVisualFeatures', why: string): AuditEntry[] {
  const info = optionInfo[option];
  const claim = claimTag[option]!;
  setValue(dataset, claim.tag, 'NO', 'CS');
  const item = createDataset(dataset.littleEndian);
  setValue(item, '00080100', info.code, 'SH');
  setValue(item, '00080102', 'DCM', 'SH');
  setValue(item, '00080104', info.meaning, 'LO');
  setValue(dataset, '00120064', [...dataset.items('00120064'), item], 'SQ');
  const methods = dataset.strings('00120063');
  setValue(dataset, '00120063', [...methods, info.meaning.replace(/ Option$/, '')].map((s) => s.slice(0, 64)).join('\\'), 'LO');
  return [
    { path: `(0028,${claim.tag.slice(4)})`, keyword: claim.keyword, action: 'added', rule: `${info.meaning}: ${why}` },
    { path: '(0012,0064)', keyword: 'DeidentificationMethodCodeSequence', action: 'added', rule: `${info.code} ${info.meaning}: ${why}` },
  ];
}
