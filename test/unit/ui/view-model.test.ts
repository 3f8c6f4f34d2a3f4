import { describe, expect, it } from 'vitest';
import { modelOptionText, parseModelIndex } from '../../../src/ui/model-index';
import { backendText } from '../../../src/ui/model-runner';
import { quantile } from '../../../src/stats';
import { appendSample, formatMs, labelView, latencyText, percent, personTagText, RateMeter, startupText } from '../../../src/ui/view-model';

describe('labelView', () => {
  const top = [
    { label: 'falling_down', p: 0.613 },
    { label: 'sitting', p: 0.2 },
    { label: 'standing', p: 0.1 },
    { label: 'walking', p: 0.05 },
    { label: 'waving', p: 0.03 },
    { label: 'jumping', p: 0.007 },
  ];

  it('shows the first label with its confidence, five bars, and the untrained flag', () => {
    const view = labelView(top[0]!, top, true);
    expect(view.label).toBe('falling down');
    expect(view.confidence).toBe('61%');
    expect(view.untrained).toBe(true);
    expect(view.bars.map((b) => b.percent)).toEqual(['61%', '20%', '10%', '5%', '3%']);
  });

  it('shows the held label even when another one leads the bars', () => {
    const view = labelView({ label: 'sitting', p: 0.2 }, top, false);
    expect([view.label, view.confidence, view.untrained, view.bars[0]!.label]).toEqual(['sitting', '20%', false, 'falling down']);
  });

  it('percent clamps to 0..100', () => {
    expect([percent(-0.2), percent(1.7), percent(0.005)]).toEqual(['0%', '100%', '1%']);
  });
});

describe('formatMs', () => {
  it('gives one decimal under 10 ms, whole ms above, a dash when unknown', () => {
    expect([formatMs(3.14159), formatMs(42.6), formatMs(null), formatMs(Number.NaN)]).toEqual(['3.1 ms', '43 ms', '–', '–']);
  });
});

describe('RateMeter', () => {
  it('measures events per second over its window and forgets old ones', () => {
    const meter = new RateMeter(1000);
    for (let t = 0; t <= 900; t += 50) meter.tick(t); // 20 per second
    expect(meter.rate(900)).toBeCloseTo(20, 5);
    expect(meter.rate(5000)).toBe(0);
  });
});

describe('latency samples', () => {
  it('nearest-rank median and p95', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.95)).toBe(95);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('keeps at most capacity samples, dropping the oldest and ignoring non-finite ones', () => {
    const values: number[] = [];
    for (let i = 1; i <= 5; i++) appendSample(values, i, 3);
    appendSample(values, Number.NaN, 3);
    expect(values).toEqual([3, 4, 5]);
  });

  it('latencyText summarises the most recent samples', () => {
    expect(latencyText([1000, 2, 4, 6], 3)).toBe('4.0 ms (p95 6.0 ms)');
    expect(latencyText([])).toBe('–');
  });
});

describe('model index', () => {
  const index = {
    format: 'skeleton-sentinel-model-index',
    version: 1,
    models: [{ manifest: 'ttr-lite-untrained.json', name: 'ttr-lite-untrained', family: 'st-tr', variant: 't-tr', description: '', trained: false }],
  };

  it('lists models and marks untrained ones', () => {
    const [model] = parseModelIndex(index);
    expect(modelOptionText(model!)).toBe('ttr-lite-untrained (st-tr t-tr) — untrained');
    expect(modelOptionText({ ...model!, trained: true })).toBe('ttr-lite-untrained (st-tr t-tr)');
  });

  it('explains what is wrong with a bad index', () => {
    expect(() => parseModelIndex({ models: [] })).toThrow(/not a model index/);
    expect(() => parseModelIndex({ ...index, models: [{ name: 'x' }] })).toThrow(/entry 0 lacks/);
    expect(() => parseModelIndex(null)).toThrow(/not a model index/);
  });
});

describe('backendText', () => {
  it('names the backend, threads, the reason and the measured times', () => {
    expect(backendText({ backend: 'wasm', wasmThreads: 1, timings: { wasm: 3.14 }, reason: 'WebGPU gives no adapter' })).toBe(
      'wasm ×1 thread (WebGPU gives no adapter; wasm 3.1 ms)',
    );
    expect(
      backendText({ backend: 'webgpu', wasmThreads: 2, timings: { wasm: 20, webgpu: 4 }, reason: 'WebGPU was faster in the start-up measurement' }),
    ).toBe('webgpu (WebGPU was faster in the start-up measurement; wasm 20 ms; webgpu 4.0 ms)');
  });
});

describe('personTagText', () => {
  it('names the label and its confidence; the id only when several people are labelled', () => {
    expect(personTagText(2, { label: 'falling_down', p: 0.664 }, 1)).toBe('falling down 66%');
    expect(personTagText(2, { label: 'sitting', p: 0.5 }, 3)).toBe('#2 sitting 50%');
  });
});

describe('startupText', () => {
  it('lists the start-up times known so far, a dash before any', () => {
    expect(startupText({ poseMs: null, modelMs: null, delegate: '' })).toBe('–');
    expect(startupText({ poseMs: null, modelMs: 120, delegate: '' })).toBe('model 120 ms');
    expect(startupText({ poseMs: 850.4, modelMs: 7.25, delegate: 'GPU (auto)' })).toBe('pose 850 ms; model 7.3 ms; pose delegate GPU (auto)');
  });
});
