/**
 * What label to show for a person, from per-frame predictions: hysteresis without averaging. Per-frame outputs of
 * overlapping windows (or of a streaming model) change slowly already, so an average would only add lag; a label
 * replaces the shown one when it leads by `switchMargin` for `switchAfterMs` in a row, so two close classes do not
 * flicker. That hold is the only lag. Pure functions; the pipeline keeps one state per person.
 */
export interface LabelSmoothingConfig {
  /** Another label replaces the shown one only when its probability is higher by at least this… */
  switchMargin: number;
  /** …continuously for this long (ms); 0 switches on the first such prediction. */
  switchAfterMs: number;
  /** Below this probability the shown label is marked uncertain. */
  minProbability: number;
}

export const DEFAULT_LABEL_SMOOTHING: LabelSmoothingConfig = { switchMargin: 0.1, switchAfterMs: 150, minProbability: 0.4 };

export interface SmoothedLabel {
  /** Index of the shown label in the model's labels. */
  index: number;
  label: string;
  /** Latest probability of the shown label. */
  p: number;
  uncertain: boolean;
  /** Latest probabilities of all labels. */
  probabilities: Float32Array;
  /** The label leading the shown one by the margin, and since when (ms); null when none does. */
  challenger: { index: number; since: number } | null;
}

export function validateLabelSmoothing(config: LabelSmoothingConfig): LabelSmoothingConfig {
  if (!(config.switchMargin >= 0)) throw new Error(`label smoothing: switchMargin must be >= 0, got ${config.switchMargin}`);
  if (!(config.switchAfterMs >= 0)) throw new Error(`label smoothing: switchAfterMs must be >= 0, got ${config.switchAfterMs}`);
  return config;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Folds one prediction (capture time t, ms) into a person's shown label; `previous` null starts from this prediction. */
export function smoothLabel(
  previous: SmoothedLabel | null,
  probabilities: ArrayLike<number>,
  t: number,
  labels: readonly string[],
  config: LabelSmoothingConfig,
): SmoothedLabel {
  const latest = Float32Array.from(probabilities);
  const best = argmax(latest);
  let index = best;
  let challenger: SmoothedLabel['challenger'] = null;
  if (previous && previous.probabilities.length === latest.length && best !== previous.index) {
    const leads = latest[best]! - latest[previous.index]! >= config.switchMargin;
    const since = leads ? (previous.challenger?.index === best ? previous.challenger.since : t) : t;
    if (!leads || t - since < config.switchAfterMs) {
      index = previous.index;
      challenger = leads ? { index: best, since } : null;
    }
  }
  const p = latest[index]!;
  return { index, label: labels[index] ?? `#${index}`, p, uncertain: p < config.minProbability, probabilities: latest, challenger };
}
