// What each exported copy is searched for (and scrubbed of): one export-wide rule
// for the desktop export and the browser export alike.
import type { IdentifyingValue } from '../deid';

/** Collects identifying values per patient, de-duplicated by kind and value. */
export class PatientValues {
  private readonly byPatient = new Map<string, Map<string, IdentifyingValue>>();
  private readonly lists = new Map<string, IdentifyingValue[]>();
  private othersCache?: Map<string, IdentifyingValue>;

  add(patientKey: string, identifiers: Iterable<IdentifyingValue>): void {
    let values = this.byPatient.get(patientKey);
    if (!values) this.byPatient.set(patientKey, (values = new Map()));
    for (const id of identifiers) if (id.kind !== 'uid') values.set(`${id.kind}\0${id.value}`, id);
    this.othersCache = undefined;
    this.lists.clear();
  }

  /**
   * A copy's search list: its patient's values, and every other patient's too except
   * dates (one patient's shifted dates may equal another's real ones). A name from one
   * patient's file in another patient's free text is still a name.
   */
  searchListFor(patientKey: string): IdentifyingValue[] {
    let list = this.lists.get(patientKey);
    if (!list) {
      list = [...new Map([...this.others(), ...(this.byPatient.get(patientKey) ?? [])]).values()];
      this.lists.set(patientKey, list);
    }
    return list;
  }

  /**
   * Every patient's values but dates, for the DICOMDIR: its dates come from copies each
   * already checked against their own patient's dates.
   */
  everyPatientButDates(): IdentifyingValue[] {
    return [...this.others().values()];
  }

  private others(): Map<string, IdentifyingValue> {
    if (!this.othersCache) {
      this.othersCache = new Map();
      for (const values of this.byPatient.values()) for (const [key, id] of values) if (id.kind !== 'date') this.othersCache.set(key, id);
    }
    return this.othersCache;
  }
}
