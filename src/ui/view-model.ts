// Pure view-model helpers: everything the screen shows is computed here and unit-tested; the DOM code only copies it.
import type { LabelScore } from '../model/prediction';
import { quantile } from '../stats';

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

/** "#2 sitting 66%": the tag over a person's head (with the id only when several people are labelled). */
export function personTagText(id: number, { label, p }: LabelScore, labelledPeople: number): string {
  return `${labelledPeople > 1 ? `#${id} ` : ''}${label.replaceAll('_', ' ')} ${percent(p)}`;
}

export interface StartupTimes {
  poseMs: number | null;
  modelMs: number | null;
  /** The pose stage's delegate and why it was chosen; '' until the pose stage started. */
  delegate: string;
}

/** "pose 850 ms; model 120 ms; pose delegate …", the parts known so far; "–" before any. */
export function startupText({ poseMs, modelMs, delegate }: StartupTimes): string {
  const parts = [poseMs !== null ? `pose ${formatMs(poseMs)}` : null, modelMs !== null ? `model ${formatMs(modelMs)}` : null, delegate ? `pose delegate ${delegate}` : null];
  return parts.filter(Boolean).join('; ') || '–';
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

/** Appends a finite sample, dropping the oldest beyond `capacity` (bounded memory on a kiosk running for days). */
export function appendSample(values: number[], value: number, capacity: number): void {
  if (!Number.isFinite(value)) return;
  values.push(value);
  if (values.length > capacity) values.splice(0, values.length - capacity);
}

/** "41 ms (p95 170 ms)" over the most recent `recent` samples. */
export function latencyText(values: readonly number[], recent = 120): string {
  const window = values.slice(-recent);
  const median = quantile(window, 0.5);
  return median === null ? '–' : `${formatMs(median)} (p95 ${formatMs(quantile(window, 0.95))})`;
}

export const LATENCY_SAMPLES = 4096;

/** Read-only state for tests, the benchmark and support, published as window.__sentinel. */
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
  /** Pose frames per second over the last 2 s. */
  fps: number;
  /**
   * Latency samples of the current run (ms, oldest first, at most LATENCY_SAMPLES each): pipeline pose stage
   * (frame grab + worker round trip), MediaPipe detection alone (in the worker), pipeline model stage
   * (preprocessing + worker round trip), ONNX Runtime inference alone, and frame entering the pipeline → prediction.
   */
  latency: { pose: number[]; detect: number[]; model: number[]; inference: number[]; endToEnd: number[] };
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
    fps: 0,
    latency: { pose: [], detect: [], model: [], inference: [], endToEnd: [] },
    lastError: null,
    recording: { active: false, frames: 0 },
  };
}
