/** Counters and per-stage latencies of one pipeline run, shown by the UI and printed by the benchmark. */
export interface LatencyStats {
  count: number;
  lastMs: number;
  meanMs: number;
  maxMs: number;
}

export interface PipelineStats {
  framesIn: number;
  /** Frames replaced by a newer one while pose estimation was busy. */
  framesDropped: number;
  poseErrors: number;
  /** Pose results the window stage could not use (wrong joint count, bad image size). */
  invalidPoses: number;
  windowsIn: number;
  /** Windows replaced by a newer batch while the model was busy. */
  windowsDropped: number;
  /** Windows the model stage returned no prediction for (no visible torso bottom). */
  windowsUnclassified: number;
  modelErrors: number;
  predictions: number;
  lastError: string | null;
  /** Pose estimation call, as seen from the pipeline (includes the worker round trip). */
  pose: LatencyStats;
  /** Model call per window, as seen from the pipeline (includes preprocessing and the worker round trip). */
  model: LatencyStats;
  /** From a frame entering the pipeline to the prediction of the window it completed. */
  endToEnd: LatencyStats;
}

const emptyLatency = (): LatencyStats => ({ count: 0, lastMs: 0, meanMs: 0, maxMs: 0 });

export function createPipelineStats(): PipelineStats {
  return {
    framesIn: 0,
    framesDropped: 0,
    poseErrors: 0,
    invalidPoses: 0,
    windowsIn: 0,
    windowsDropped: 0,
    windowsUnclassified: 0,
    modelErrors: 0,
    predictions: 0,
    lastError: null,
    pose: emptyLatency(),
    model: emptyLatency(),
    endToEnd: emptyLatency(),
  };
}

export function recordLatency(stats: LatencyStats, ms: number): void {
  stats.count++;
  stats.lastMs = ms;
  stats.meanMs += (ms - stats.meanMs) / stats.count;
  stats.maxMs = Math.max(stats.maxMs, ms);
}

export function snapshotStats(stats: PipelineStats): PipelineStats {
  return { ...stats, pose: { ...stats.pose }, model: { ...stats.model }, endToEnd: { ...stats.endToEnd } };
}
