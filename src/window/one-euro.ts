/**
 * One Euro filter (Casiez, Roussel & Vogel, CHI 2012): a low-pass filter whose cutoff rises with speed, so slow
 * jitter is smoothed while fast motion (a fall) keeps little lag.
 */
export interface OneEuroConfig {
  /** Cutoff (Hz) at zero speed: lower = smoother at rest. */
  minCutoff: number;
  /** Cutoff increase per unit of speed: higher = less lag when moving. */
  beta: number;
  /** Cutoff (Hz) for the speed estimate itself. */
  dCutoff: number;
}

export const DEFAULT_ONE_EURO: OneEuroConfig = { minCutoff: 1.0, beta: 0.5, dCutoff: 1.0 };

function smoothingFactor(cutoffHz: number, dtSeconds: number): number {
  const tau = 1 / (2 * Math.PI * cutoffHz);
  return 1 / (1 + tau / dtSeconds);
}

export class OneEuroFilter {
  private previous: { t: number; value: number; speed: number } | null = null;

  constructor(private readonly config: OneEuroConfig = DEFAULT_ONE_EURO) {
    for (const key of ['minCutoff', 'dCutoff'] as const) {
      if (!(config[key] > 0)) throw new Error(`One Euro filter: ${key} must be > 0, got ${config[key]}`);
    }
    if (!(config.beta >= 0)) throw new Error(`One Euro filter: beta must be >= 0, got ${config.beta}`);
  }

  /** Filters `value` sampled at time `tMs`; a sample not later than the previous one resets nothing and passes through the last output. */
  filter(value: number, tMs: number): number {
    const previous = this.previous;
    if (!previous) {
      this.previous = { t: tMs, value, speed: 0 };
      return value;
    }
    const dt = (tMs - previous.t) / 1000;
    if (dt <= 0) return previous.value;
    const rawSpeed = (value - previous.value) / dt;
    const speed = previous.speed + smoothingFactor(this.config.dCutoff, dt) * (rawSpeed - previous.speed);
    const cutoff = this.config.minCutoff + this.config.beta * Math.abs(speed);
    const filtered = previous.value + smoothingFactor(cutoff, dt) * (value - previous.value);
    this.previous = { t: tMs, value: filtered, speed };
    return filtered;
  }
}

/** One filter per joint coordinate (x, y, z) of a pose stored as [x, y, z, visibility] quadruples; visibility passes through. */
export class PoseFilter {
  private readonly filters: OneEuroFilter[];

  constructor(joints: number, config: OneEuroConfig) {
    this.filters = Array.from({ length: joints * 3 }, () => new OneEuroFilter(config));
  }

  filter(pose: Float64Array, tMs: number): Float64Array {
    const out = Float64Array.from(pose);
    for (let joint = 0; joint * 4 < pose.length; joint++) {
      for (let c = 0; c < 3; c++) out[joint * 4 + c] = this.filters[joint * 3 + c]!.filter(pose[joint * 4 + c]!, tMs);
    }
    return out;
  }
}
