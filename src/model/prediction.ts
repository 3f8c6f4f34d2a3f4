/** What the model stage hands to the view, alerts and CLI. */
export interface LabelScore {
  label: string;
  p: number;
}

export interface Prediction {
  /** Capture time (ms) of the last frame of the classified window. */
  t: number;
  personId: number;
  /** Softmax of the logits, index = manifest label index. */
  probabilities: Float32Array;
  /** The five most probable labels, most probable first. */
  top: LabelScore[];
  /** (V) non-negative, sums to 1; present when the model exports it. */
  jointImportance?: Float32Array;
  /** (T) non-negative, sums to 1. */
  frameImportance?: Float32Array;
  /** (V×V) row-major, rows sum to 1. */
  spatialAttention?: Float32Array;
  /** (T×T) row-major, rows sum to 1. */
  temporalAttention?: Float32Array;
  /** Wall time of the inference call itself. */
  modelMs: number;
  /** The manifest says the weights are random: the UI must say so. */
  untrained: boolean;
}

export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

export function topLabels(probabilities: ArrayLike<number>, labels: readonly string[], count = 5): LabelScore[] {
  return Array.from(probabilities, (p, index) => ({ label: labels[index] ?? `#${index}`, p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, count);
}
