// The model stage as the screen sees it: a loaded manifest, the backend in use and how long start-up took.
import * as ort from 'onnxruntime-web';
import type { ModelManifest } from '../model/manifest';
import type { Prediction } from '../model/prediction';
import { fetchBytes, loadActionModel } from '../model/load';
import type { SkeletonWindow } from '../window/assembler';

export interface ModelRunner {
  manifest: ModelManifest;
  backend: string;
  /** Why this backend, with the measured times when there was a choice. */
  backendReason: string;
  /** Manifest + ONNX fetch and session creation, ms. */
  startupMs: number;
  classify(window: SkeletonWindow): Promise<Prediction | null>;
  close(): void;
}

export async function loadModelRunner(manifestUrl: string): Promise<ModelRunner> {
  const started = performance.now();
  // The wasm runtime is served locally (scripts/setup-assets copies it to assets/ort/); never from a CDN.
  ort.env.wasm.wasmPaths = new URL('ort/', document.baseURI).href;
  const model = await loadActionModel(manifestUrl, fetchBytes, 'wasm');
  return {
    manifest: model.manifest,
    backend: model.backend,
    backendReason: `${model.backend} (main thread)`,
    startupMs: performance.now() - started,
    classify: (window) => model.classify(window),
    close: () => void model.release(),
  };
}
