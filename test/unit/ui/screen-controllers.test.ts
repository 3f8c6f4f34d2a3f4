// The logic of the screen's controllers (src/ui/*), without a page: URL options, the stats meter's figures and
// pace, the label panel's pace, a run's window settings and the resolution picker's values.
import { describe, expect, it } from 'vitest';
import { createPipelineStats, type PipelineStats } from '../../../src/pipeline';
import type { Prediction } from '../../../src/model/prediction';
import { DEFAULT_POSE_MODEL } from '../../../src/pose/protocol';
import type { PoseFrame } from '../../../src/skeleton/types';
import { LabelPanelPace } from '../../../src/ui/label-panel';
import { MAX_PEOPLE, runWindowConfig } from '../../../src/ui/run-lifecycle';
import { screenOptions } from '../../../src/ui/screen-options';
import { parseResolution, resolutionValue } from '../../../src/ui/source-picker';
import { STATS_INTERVAL_MS, StatsMeter } from '../../../src/ui/stats-panel';
import { initialDebugState } from '../../../src/ui/view-model';
import { DEFAULT_WINDOW_OPTIONS, LABEL_EVERY_TICK } from '../../../src/window/window-config';

describe('screenOptions', () => {
  it('reads every URL option', () => {
    expect(screenOptions('?source=recording&pose=heavy&model=ttr-lite.json&autostart&record&rate=0.25&overlay=off')).toEqual({
      source: 'recording',
      pose: 'heavy',
      model: 'ttr-lite.json',
      noModel: false,
      autostart: true,
      recordEveryRun: true,
      drawOverlays: false,
      videoPlaybackRate: 0.25,
    });
  });

  it('falls back to the defaults for missing, unknown or out-of-range values', () => {
    const defaults = { source: null, pose: DEFAULT_POSE_MODEL, model: null, noModel: false, autostart: false, recordEveryRun: false, drawOverlays: true, videoPlaybackRate: 1 };
    expect(screenOptions('')).toEqual(defaults);
    expect(screenOptions('?pose=enormous&rate=17')).toEqual(defaults);
    expect(screenOptions('?rate=-1').videoPlaybackRate).toBe(1);
    expect(screenOptions('?rate=abc').videoPlaybackRate).toBe(1);
    expect(screenOptions('?rate=16').videoPlaybackRate).toBe(16);
  });

  it('?model=none asks for no action model', () => {
    expect(screenOptions('?model=none')).toMatchObject({ model: 'none', noModel: true });
  });
});

const frame = (t: number, people: number): PoseFrame => ({ t, width: 640, height: 480, people: Array.from({ length: people }, () => ({ landmarks: [] })) }) as unknown as PoseFrame;

function stats(overrides: { poseCount: number; poseMs: number; predictions?: number; modelMs?: number; endToEndMs?: number } & Partial<PipelineStats>): PipelineStats {
  const { poseCount, poseMs, modelMs = 0, endToEndMs = 0, ...rest } = overrides;
  const base = createPipelineStats();
  return { ...base, ...rest, pose: { ...base.pose, count: poseCount, lastMs: poseMs }, model: { ...base.model, lastMs: modelMs }, endToEnd: { ...base.endToEnd, lastMs: endToEndMs } };
}

describe('StatsMeter', () => {
  it('counts each pose frame once (prediction events repeat the last frame) and samples its latency', () => {
    const debug = initialDebugState();
    const meter = new StatsMeter(debug);
    const first = frame(0, 2);
    meter.record(stats({ poseCount: 1, poseMs: 40 }), first, 0);
    meter.record(stats({ poseCount: 1, poseMs: 40, predictions: 1, modelMs: 12, endToEndMs: 60 }), first, 10);
    meter.record(stats({ poseCount: 2, poseMs: 50, predictions: 1, modelMs: 12, endToEndMs: 60 }), frame(33, 1), 33);
    expect([debug.framesProcessed, debug.posesDetected, debug.predictions]).toEqual([2, 3, 1]);
    expect(debug.latency.pose).toEqual([40, 50]);
    expect([debug.latency.model, debug.latency.endToEnd]).toEqual([[12], [60]]);
  });

  it('keeps drops and the pipeline error, and starts a new run from nothing', () => {
    const debug = initialDebugState();
    const meter = new StatsMeter(debug);
    meter.record(stats({ poseCount: 1, poseMs: 40, predictions: 3, framesDropped: 4, windowsDropped: 2, lastError: 'model stage: boom' }), frame(0, 1), 0);
    meter.recordDetection(30);
    meter.recordInference(8);
    expect(debug).toMatchObject({ dropped: { frames: 4, windows: 2 }, lastError: 'model stage: boom', latency: { detect: [30], inference: [8] } });
    expect(meter.texts()).toMatchObject({ dropped: '4 frames, 2 windows', pose: '40 ms (p95 40 ms); detection 30 ms (p95 30 ms)', model: '0.0 ms (p95 0.0 ms); inference 8.0 ms (p95 8.0 ms)' });
    meter.reset();
    expect(debug).toMatchObject({ framesProcessed: 0, posesDetected: 0, predictions: 0, lastError: null, latency: { pose: [], detect: [], model: [], inference: [], endToEnd: [] } });
    // After a reset the first prediction of the new run is sampled again.
    meter.record(stats({ poseCount: 1, poseMs: 20, predictions: 1, modelMs: 9 }), frame(0, 1), 1000);
    expect(debug.latency.model).toEqual([9]);
  });

  it('says the text is due at most every STATS_INTERVAL_MS', () => {
    const meter = new StatsMeter(initialDebugState());
    const due = [0, 100, STATS_INTERVAL_MS - 1, STATS_INTERVAL_MS, STATS_INTERVAL_MS + 10, 2 * STATS_INTERVAL_MS].map((now, i) => meter.record(stats({ poseCount: i + 1, poseMs: 30 }), frame(now, 1), now));
    expect(due).toEqual([true, false, false, true, false, true]);
  });

  it('gives the frame rate of the pose frames', () => {
    const debug = initialDebugState();
    const meter = new StatsMeter(debug);
    for (let i = 0; i <= 30; i++) meter.record(stats({ poseCount: i + 1, poseMs: 30 }), frame(i * 50, 1), i * 50);
    expect(debug.fps).toBeCloseTo(20, 5);
    expect(meter.texts().fps).toBe('20.0 fps');
  });
});

describe('LabelPanelPace', () => {
  const prediction = (): Prediction => ({}) as Prediction;

  it('rebuilds for a new prediction of the same label at most every STATS_INTERVAL_MS, at once for a new label', () => {
    const pace = new LabelPanelPace();
    const first = prediction();
    expect(pace.due(first, 'sitting', 0)).toBe(true);
    expect(pace.due(first, 'sitting', 1000)).toBe(false); // the same prediction again
    expect(pace.due(prediction(), 'sitting', 100)).toBe(false);
    expect(pace.due(prediction(), 'falling_down', 120)).toBe(true);
    expect(pace.due(prediction(), 'falling_down', 120 + STATS_INTERVAL_MS - 1)).toBe(false);
    expect(pace.due(prediction(), 'falling_down', 120 + STATS_INTERVAL_MS)).toBe(true);
  });

  it('after a reset (a new model) shows the last prediction again', () => {
    const pace = new LabelPanelPace();
    const shown = prediction();
    pace.due(shown, 'sitting', 0);
    pace.reset();
    expect(pace.due(shown, 'standing', 10)).toBe(true);
  });
});

describe('runWindowConfig', () => {
  it("takes the model's window, fps and person slots, labels every tick and tracks up to MAX_PEOPLE", () => {
    const input = { window: 48, stride: 8, fps: 25, persons: 2 } as Parameters<typeof runWindowConfig>[0];
    expect(runWindowConfig(input)).toEqual({ ...DEFAULT_WINDOW_OPTIONS, window: 48, stride: LABEL_EVERY_TICK, fps: 25, persons: 2, tracker: { ...DEFAULT_WINDOW_OPTIONS.tracker, maxPeople: MAX_PEOPLE } });
  });

  it('without a model still tracks people on a 64-tick, 30 fps grid', () => {
    expect(runWindowConfig(undefined)).toMatchObject({ window: 64, fps: 30, persons: 1, stride: LABEL_EVERY_TICK });
  });
});

describe('resolution picker values', () => {
  it('round-trip', () => {
    expect(resolutionValue({ width: 1280, height: 720 })).toBe('1280x720');
    expect(parseResolution('1280x720')).toEqual({ width: 1280, height: 720 });
  });
});
