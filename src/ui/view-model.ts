// Pure view-model helpers: everything the screen shows is computed here and unit-tested; the DOM code only copies it.
import type { LabelScore } from '../model/prediction';

export interface LabelView {
  label: string;
  /** e.g. "87%" */
  confidence: string;
  /** The model's weights are random: the screen must say "untrained". */
  untrained: boolean;
  bars: { label: string; p: number; percent: string }[];
}

export function percent(p: number): string {
  return `${Math.round(Math.min(1, Math.max(0, p)) * 100)}%`;
}

/** The shown (smoothed, hysteresis-held) label and the top-5 bars of the smoothed probabilities. */
export function labelView(shown: LabelScore, top: readonly LabelScore[], untrained: boolean): LabelView {
  return {
    label: shown.label.replaceAll('_', ' '),
    confidence: percent(shown.p),
    untrained,
    bars: top.slice(0, 5).map(({ label, p }) => ({ label: label.replaceAll('_', ' '), p, percent: percent(p) })),
  };
}

/** A latency in ms for the stats panel; "–" until measured. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Events per second over a sliding window (frames shown, poses estimated, …). */
export class RateMeter {
  private readonly times: number[] = [];

  constructor(private readonly windowMs = 2000) {}

  tick(now: number): void {
    this.times.push(now);
    this.prune(now);
  }

  rate(now: number): number {
    this.prune(now);
    if (this.times.length < 2) return 0;
    const span = now - this.times[0]!;
    return span > 0 ? ((this.times.length - 1) * 1000) / span : 0;
  }

  private prune(now: number): void {
    while (this.times.length > 0 && now - this.times[0]! > this.windowMs) this.times.shift();
  }
}

/** Median and 95th percentile of recent samples (nearest-rank). */
export class LatencyWindow {
  private readonly samples: number[] = [];

  constructor(private readonly capacity = 120) {}

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.samples.push(ms);
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  get count(): number {
    return this.samples.length;
  }

  quantile(q: number): number | null {
    if (this.samples.length === 0) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[rank]!;
  }
}

/** Read-only state for tests and support, published as window.__sentinel. */
export interface DebugState {
  running: boolean;
  source: string | null;
  framesProcessed: number;
  posesDetected: number;
  predictions: number;
  lastLabel: string | null;
  backend: string | null;
  poseDelegate: string | null;
  dropped: { frames: number; windows: number };
  lastError: string | null;
  recording: { active: boolean; frames: number };
}

export function initialDebugState(): DebugState {
  return {
    running: false,
    source: null,
    framesProcessed: 0,
    posesDetected: 0,
    predictions: 0,
    lastLabel: null,
    backend: null,
    poseDelegate: null,
    dropped: { frames: 0, windows: 0 },
    lastError: null,
    recording: { active: false, frames: 0 },
  };
}
