import type { PoseFrame } from '../skeleton/types';

/** The three pose bundles served under `mediapipe/` (see scripts/setup-assets). */
export type PoseModelName = 'lite' | 'full' | 'heavy';
export const POSE_MODELS: readonly PoseModelName[] = ['lite', 'full', 'heavy'];

/** The live app's pose settings; offline pose extraction (`npm run poses`) uses the same ones. */
export const DEFAULT_POSE_MODEL: PoseModelName = 'lite';
/** Most people the landmarker detects per frame. */
export const MAX_POSES = 4;

export type PoseDelegate = 'CPU' | 'GPU';

export interface PoseWorkerInit {
  type: 'init';
  /** Absolute URL of the folder holding tasks-vision's wasm files. */
  wasmBaseUrl: string;
  /** Absolute URL of the `.task` bundle. */
  modelUrl: string;
  delegate: PoseDelegate;
  numPoses: number;
}

export interface PoseWorkerDetect {
  type: 'detect';
  id: number;
  /** Transferred; the worker closes it. */
  bitmap: ImageBitmap;
  /** Capture time in ms. */
  t: number;
}

export type PoseWorkerRequest = PoseWorkerInit | PoseWorkerDetect | { type: 'close' };

export type PoseWorkerResponse =
  | { type: 'ready'; initMs: number }
  | { type: 'poses'; id: number; frame: PoseFrame; poseMs: number }
  | { type: 'error'; id: number | null; message: string };
