// The stats panel: frame rate, per-stage latencies, dropped work and start-up times. StatsMeter keeps the figures
// (in the published DebugState) and decides when the text is due; StatsPanel copies it into the page.
import type { PipelineStats } from '../pipeline';
import type { PoseFrame } from '../skeleton/types';
import type { Dom } from './dom';
import { appendSample, LATENCY_SAMPLES, latencyText, RateMeter, startupText, type DebugState, type StartupTimes } from './view-model';

/** Stats text is refreshed at this interval, not per frame, to keep DOM work off the hot path. */
export const STATS_INTERVAL_MS = 250;

export interface StatsTexts {
  fps: string;
  pose: string;
  model: string;
  endToEnd: string;
  dropped: string;
}

export class StatsMeter {
  private readonly fps = new RateMeter();
  private lastPredictions = 0;
  private lastTextAt = -Infinity;

  constructor(private readonly debug: DebugState) {}

  /** A new run: its figures start from nothing. */
  reset(): void {
    this.lastPredictions = 0;
    Object.assign(this.debug, {
      framesProcessed: 0,
      posesDetected: 0,
      predictions: 0,
      fps: 0,
      latency: { pose: [], detect: [], model: [], inference: [], endToEnd: [] },
      lastError: null,
    });
  }

  /** The pipeline's stats after one view update (`frame`: the view's latest frame); true when the text is due. */
  record(stats: PipelineStats, frame: PoseFrame | null, now: number): boolean {
    const debug = this.debug;
    if (frame && stats.pose.count > debug.framesProcessed) {
      // A frame the pose stage finished (prediction events repeat the last frame).
      debug.framesProcessed = stats.pose.count;
      debug.posesDetected += frame.people.length;
      this.fps.tick(now);
      appendSample(debug.latency.pose, stats.pose.lastMs, LATENCY_SAMPLES);
    }
    if (stats.predictions > this.lastPredictions) {
      this.lastPredictions = stats.predictions;
      appendSample(debug.latency.model, stats.model.lastMs, LATENCY_SAMPLES);
      appendSample(debug.latency.endToEnd, stats.endToEnd.lastMs, LATENCY_SAMPLES);
    }
    debug.fps = this.fps.rate(now);
    debug.predictions = stats.predictions;
    debug.dropped = { frames: stats.framesDropped, windows: stats.windowsDropped };
    if (stats.lastError) debug.lastError = stats.lastError;
    if (now - this.lastTextAt < STATS_INTERVAL_MS) return false;
    this.lastTextAt = now;
    return true;
  }

  /** MediaPipe's detection time inside the pose worker. */
  recordDetection(ms: number): void {
    appendSample(this.debug.latency.detect, ms, LATENCY_SAMPLES);
  }

  /** ONNX Runtime's inference time inside the model worker. */
  recordInference(ms: number): void {
    appendSample(this.debug.latency.inference, ms, LATENCY_SAMPLES);
  }

  texts(): StatsTexts {
    const { fps, latency, dropped } = this.debug;
    return {
      fps: `${fps.toFixed(1)} fps`,
      pose: `${latencyText(latency.pose)}; detection ${latencyText(latency.detect)}`,
      model: `${latencyText(latency.model)}; inference ${latencyText(latency.inference)}`,
      endToEnd: latencyText(latency.endToEnd),
      dropped: `${dropped.frames} frames, ${dropped.windows} windows`,
    };
  }
}

type StatsDom = Pick<Dom, 'statFps' | 'statPose' | 'statModel' | 'statE2e' | 'statDropped' | 'statStartup'>;

export class StatsPanel {
  readonly meter: StatsMeter;
  private readonly startup: StartupTimes = { poseMs: null, modelMs: null, delegate: '' };

  constructor(
    private readonly dom: StatsDom,
    debug: DebugState,
  ) {
    this.meter = new StatsMeter(debug);
  }

  update(stats: PipelineStats, frame: PoseFrame | null): void {
    if (!this.meter.record(stats, frame, performance.now())) return;
    const texts = this.meter.texts();
    this.dom.statFps.textContent = texts.fps;
    this.dom.statPose.textContent = texts.pose;
    this.dom.statModel.textContent = texts.model;
    this.dom.statE2e.textContent = texts.endToEnd;
    this.dom.statDropped.textContent = texts.dropped;
  }

  /** Start-up times as they become known (the pose stage at each run, the model at each load). */
  showStartup(times: Partial<StartupTimes>): void {
    Object.assign(this.startup, times);
    this.dom.statStartup.textContent = startupText(this.startup);
  }
}
