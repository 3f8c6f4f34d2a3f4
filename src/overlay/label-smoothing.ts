/**
 * What label to show for a person: an exponential moving average of the model's probabilities, plus hysteresis so
 * the label does not flicker between two close classes. Pure functions; the pipeline keeps one state per person.
 */
export interface LabelSmoothingConfig {
  /** Weight of the newest prediction in the average, (0, 1]; 1 = no smoothing. */
  alpha: number;
  /** Another label replaces the shown one only when its smoothed probability is higher by at least this. */
  switchMargin: number;
  /** Below this smoothed probability the shown label is marked uncertain. */
  minProbability: number;
}

export const DEFAULT_LABEL_SMOOTHING: LabelSmoothingConfig = { alpha: 0.4, switchMargin: 0.1, minProbability: 0.4 };

export interface SmoothedLabel {
  /** Index of the shown label in the model's labels. */
  index: number;
  label: string;
  /** Smoothed probability of the shown label. */
  p: number;
  uncertain: boolean;
  /** Smoothed probabilities of all labels. */
  probabilities: Float32Array;
}

export function validateLabelSmoothing(config: LabelSmoothingConfig): LabelSmoothingConfig {
  if (!(config.alpha > 0 && config.alpha <= 1)) throw new Error(`label smoothing: alpha must be in (0, 1], got ${config.alpha}`);
  if (!(config.switchMargin >= 0)) throw new Error(`label smoothing: switchMargin must be >= 0, got ${config.switchMargin}`);
  return config;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Folds one prediction into a person's smoothed label; `previous` null starts from this prediction. */
export function smoothLabel(
  previous: SmoothedLabel | null,
  probabilities: ArrayLike<number>,
  labels: readonly string[],
  config: LabelSmoothingConfig,
): SmoothedLabel {
  const fresh = !previous || previous.probabilities.length !== probabilities.length;
  const smoothed = new Float32Array(probabilities.length);
  for (let i = 0; i < smoothed.length; i++) {
    smoothed[i] = fresh ? probabilities[i]! : previous.probabilities[i]! + config.alpha * (probabilities[i]! - previous.probabilities[i]!);
  }
  const best = argmax(smoothed);
  const keep = !fresh && smoothed[best]! - smoothed[previous.index]! < config.switchMargin;
  const index = keep ? previous.index : best;
  const p = smoothed[index]!;
  return { index, label: labels[index] ?? `#${index}`, p, uncertain: p < config.minProbability, probabilities: smoothed };
}
