/**
 * Importance → colour: blue (least) through green/yellow to red (most), relative to the range shown (0..max by
 * default), so a model whose attention is spread evenly still shows which joints lead.
 */
export function importanceColour(value: number, max: number, min = 0): string {
  const span = max - min;
  const relative = span > 0 && Number.isFinite(value) ? Math.min(1, Math.max(0, (value - min) / span)) : 0;
  const hue = Math.round(220 * (1 - relative));
  return `hsl(${hue} 90% 55%)`;
}

/** Colour of a joint or bone when the model gives no importance (or nothing has been classified yet). */
export const NEUTRAL_COLOUR = 'hsl(190 30% 85%)';

export function maxOf(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  return max;
}

export function minOf(values: ArrayLike<number>): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) min = Math.min(min, values[i]!);
  return values.length ? min : 0;
}
