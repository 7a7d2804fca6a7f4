// The patient's journey: what these scans give away, in plain words.
export function PatientOverview() {
  return <section className="overview" data-testid="overview" aria-label="Overview" />;
}
