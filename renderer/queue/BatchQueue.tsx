// The researcher's journey: a queue of many studies, scanned, reviewed and exported.
export function BatchQueue() {
  return <section className="queue" data-testid="queue" aria-label="Batch" />;
}
