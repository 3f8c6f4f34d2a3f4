import type { PoseFrame } from '../skeleton/types';
import { isSoftwareRenderer, pickDelegate, webglRenderer, type DelegateTiming } from './delegate';
import type { PoseDelegate, PoseModelName, PoseWorkerRequest, PoseWorkerResponse } from './protocol';
import { median } from '../stats';

export interface PoseEstimatorOptions {
  model: PoseModelName;
  delegate: PoseDelegate;
  /** Most people detected per frame. */
  numPoses: number;
  /** Base URL the app's static assets are served from (document.baseURI in the app). */
  assetBaseUrl: string;
}

export interface PoseEstimate {
  frame: PoseFrame;
  poseMs: number;
}

/** A detection not answered in this time means the worker stopped (hung or died without an error event). */
export const POSE_ANSWER_TIMEOUT_MS = 15_000;

export function poseModelUrl(model: PoseModelName, assetBaseUrl: string): string {
  return new URL(`mediapipe/pose_landmarker_${model}.task`, assetBaseUrl).href;
}

/**
 * Main-thread handle of one pose worker. One estimator serves one stream: VIDEO mode keeps tracking state, so
 * a source switch must close this estimator and create a new one.
 */
export class PoseEstimator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (e: PoseEstimate) => void; reject: (e: Error) => void }>();
  private closed = false;
  private crashedWith: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly options: PoseEstimatorOptions,
    /** Worker start-up time: wasm compile + model load, in ms. */
    readonly initMs: number,
  ) {
    worker.onmessage = (event: MessageEvent<PoseWorkerResponse>) => this.onMessage(event.data);
    worker.onerror = (event) => this.crash(new Error(`pose worker crashed: ${event.message || 'unknown error'}`));
  }

  /** Why the worker is gone (every detection fails with it), or null while it runs. */
  get crashed(): Error | null {
    return this.crashedWith;
  }

  static async create(options: PoseEstimatorOptions): Promise<PoseEstimator> {
    const worker = new Worker(new URL('./pose.worker.ts', import.meta.url), { type: 'module', name: 'pose' });
    const ready = new Promise<number>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<PoseWorkerResponse>) => {
        const message = event.data;
        if (message.type === 'ready') resolve(message.initMs);
        else if (message.type === 'error') reject(new Error(message.message));
      };
      worker.onerror = (event) => reject(new Error(`pose worker failed to start: ${event.message || 'its script could not be loaded'}`));
    });
    const init: PoseWorkerRequest = {
      type: 'init',
      wasmBaseUrl: new URL('mediapipe/wasm', options.assetBaseUrl).href,
      modelUrl: poseModelUrl(options.model, options.assetBaseUrl),
      delegate: options.delegate,
      numPoses: options.numPoses,
    };
    worker.postMessage(init);
    try {
      return new PoseEstimator(worker, options, await ready);
    } catch (error) {
      worker.terminate();
      throw error;
    }
  }

  /** Estimates the poses in `bitmap` (transferred to the worker, which closes it). */
  estimate(bitmap: ImageBitmap, t: number): Promise<PoseEstimate> {
    if (this.closed || this.crashedWith) {
      bitmap.close();
      return Promise.reject(this.crashedWith ?? new Error('pose estimator is closed'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(
        () => this.crash(new Error(`pose worker stopped answering (no result in ${POSE_ANSWER_TIMEOUT_MS / 1000} s)`)),
        POSE_ANSWER_TIMEOUT_MS,
      );
      const settle = <T>(done: (value: T) => void) => (value: T) => {
        clearTimeout(timeout);
        done(value);
      };
      this.pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      const request: PoseWorkerRequest = { type: 'detect', id, bitmap, t };
      this.worker.postMessage(request, [bitmap]);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const request: PoseWorkerRequest = { type: 'close' };
    this.worker.postMessage(request);
    this.failAll(new Error('pose estimator closed'));
  }

  private onMessage(message: PoseWorkerResponse): void {
    if (message.type === 'ready') return;
    if (message.type === 'error' && message.id === null) {
      this.failAll(new Error(message.message));
      return;
    }
    const id = message.id as number;
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (message.type === 'poses') entry.resolve({ frame: message.frame, poseMs: message.poseMs });
    else entry.reject(new Error(message.message));
  }

  private crash(error: Error): void {
    if (this.closed || this.crashedWith) return;
    this.crashedWith = error;
    this.worker.terminate();
    this.failAll(error);
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

export interface StartedPoseEstimator {
  estimator: PoseEstimator;
  /** Why this delegate, for the stats panel. */
  delegateReason: string;
}

/** Times `frames` detections of a blank frame (the detector runs in full on every one: nobody to track). */
async function timeBlankFrames(estimator: PoseEstimator, frames: number): Promise<number | null> {
  const times: number[] = [];
  for (let i = 0; i < frames; i++) {
    const bitmap = await createImageBitmap(new ImageData(640, 480));
    times.push((await estimator.estimate(bitmap, i)).poseMs);
  }
  return median(times.slice(1)); // the first call includes one-off graph set-up
}

/**
 * A pose estimator with the delegate chosen: 'auto' uses CPU unless a hardware WebGL renderer is present and the
 * GPU delegate measures faster on a few start-up frames.
 */
export async function startPoseEstimator(
  options: Omit<PoseEstimatorOptions, 'delegate'> & { delegate: PoseDelegate | 'auto' },
): Promise<StartedPoseEstimator> {
  if (options.delegate !== 'auto') {
    return { estimator: await PoseEstimator.create({ ...options, delegate: options.delegate }), delegateReason: 'chosen' };
  }
  const renderer = webglRenderer();
  const cpu = await PoseEstimator.create({ ...options, delegate: 'CPU' });
  if (isSoftwareRenderer(renderer)) {
    return { estimator: cpu, delegateReason: renderer ? 'software WebGL' : 'no WebGL2' };
  }
  const gpu = await PoseEstimator.create({ ...options, delegate: 'GPU' }).catch(() => null);
  const timings: DelegateTiming[] = [
    { delegate: 'CPU', medianMs: await timeBlankFrames(cpu, 4) },
    { delegate: 'GPU', medianMs: gpu ? await timeBlankFrames(gpu, 4).catch(() => null) : null },
  ];
  const chosen = pickDelegate(timings);
  (chosen === 'GPU' ? cpu : gpu)?.close();
  const text = timings.map((t) => `${t.delegate} ${t.medianMs === null ? 'failed' : `${t.medianMs.toFixed(0)} ms`}`).join(', ');
  return { estimator: chosen === 'GPU' ? gpu! : cpu, delegateReason: `measured ${text}` };
}
