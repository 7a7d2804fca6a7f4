// The radiologist's journey: what an export will contain, before and after.
export function ReviewView() {
  return <section className="review" data-testid="review" aria-label="Review" />;
}
