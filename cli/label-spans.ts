/** Per-frame labels → spans: merged runs of the same label per person (what `npm run classify` prints by default). */

export interface FrameLabel {
  personId: number;
  /** Capture time (ms) of the labelled frame. */
  t: number;
  label: string;
  /** Probability of `label` in that frame. */
  p: number;
}

export interface LabelSpan {
  personId: number;
  label: string;
  /** Capture times (ms) of the first and last frame of the run. */
  tStart: number;
  tEnd: number;
  frames: number;
  meanP: number;
}

/**
 * Merges consecutive frames of one person with the same label. A person's run also ends where no label came for
 * longer than `maxGapMs` (the person was missing or not classifiable), so a span never covers frames without labels.
 * Spans come out ordered by start time, then person.
 */
export function mergeSpans(labels: Iterable<FrameLabel>, maxGapMs: number): LabelSpan[] {
  const open = new Map<number, LabelSpan & { sumP: number }>();
  const done: (LabelSpan & { sumP: number })[] = [];
  for (const { personId, t, label, p } of labels) {
    const current = open.get(personId);
    if (current && current.label === label && t - current.tEnd <= maxGapMs) {
      current.tEnd = t;
      current.frames++;
      current.sumP += p;
      continue;
    }
    if (current) done.push(current);
    open.set(personId, { personId, label, tStart: t, tEnd: t, frames: 1, meanP: 0, sumP: p });
  }
  done.push(...open.values());
  return done
    .sort((a, b) => a.tStart - b.tStart || a.personId - b.personId)
    .map(({ sumP, ...span }) => ({ ...span, meanP: sumP / span.frames }));
}
