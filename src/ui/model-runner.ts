// The model stage as the screen sees it: core's inference worker (src/model/inference-worker.ts) with the
// loaded manifest, the backend it chose and how long start-up took.
import type { BackendReport } from '../model/backend';
import { InferenceClient } from '../model/inference-protocol';
import type { ModelManifest } from '../model/manifest';
import type { Prediction } from '../model/prediction';
import type { SkeletonWindow } from '../window/assembler';
import { formatMs } from './view-model';

export interface ModelRunner {
  manifest: ModelManifest;
  backend: BackendReport;
  /** Manifest + ONNX fetch, session creation and backend measurement, ms. */
  startupMs: number;
  /** All people's windows of one frame in one call (their buffers are transferred to the worker). */
  classify(windows: readonly SkeletonWindow[]): Promise<(Prediction | null)[]>;
  close(): void;
}

/** "wasm ×1 thread (WebGPU gives no adapter; wasm 3.1 ms)" */
export function backendText(report: BackendReport): string {
  const threads = report.backend === 'wasm' ? ` ×${report.wasmThreads} thread${report.wasmThreads === 1 ? '' : 's'}` : '';
  const timings = Object.entries(report.timings).map(([backend, ms]) => `${backend} ${formatMs(ms)}`);
  return `${report.backend}${threads} (${[report.reason, ...timings].join('; ')})`;
}

export async function loadModelRunner(manifestUrl: string, assetBaseUrl: string): Promise<ModelRunner> {
  const started = performance.now();
  const worker = new Worker(new URL('../model/inference-worker.ts', import.meta.url), { type: 'module', name: 'inference' });
  const client = new InferenceClient(worker);
  const close = (): void => {
    client.dispose();
    worker.terminate();
  };
  try {
    // The wasm runtime is served locally (scripts/setup-assets copies it to assets/ort/); never from a CDN.
    const { manifest, backend } = await client.load(manifestUrl, new URL('ort/', assetBaseUrl).href);
    return { manifest, backend, startupMs: performance.now() - started, classify: client.classify, close };
  } catch (error) {
    close();
    throw error;
  }
}
