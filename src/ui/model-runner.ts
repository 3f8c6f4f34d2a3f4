// The model stage as the screen sees it: core's inference worker (src/model/inference-worker.ts) with the
// loaded manifest, the backend it chose and how long start-up took.
import type { BackendReport } from '../model/backend';
import { InferenceClient } from '../model/inference-protocol';
import type { ModelManifest } from '../model/manifest';
import type { Prediction } from '../model/prediction';
import type { SkeletonWindow } from '../window/frames';
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

/** After a model worker crash, a new one is started at most this often; meanwhile windows fail (body movement only). */
export const MODEL_RESTART_MS = 2000;

interface ModelWorker {
  manifest: ModelManifest;
  backend: BackendReport;
  client: InferenceClient;
  /** Set when the worker reported an uncaught error: it is terminated and its requests fail. */
  crashed: Error | null;
  close(): void;
}

async function startModelWorker(manifestUrl: string, assetBaseUrl: string): Promise<ModelWorker> {
  const worker = new Worker(new URL('../model/inference-worker.ts', import.meta.url), { type: 'module', name: 'inference' });
  const client = new InferenceClient(worker);
  const close = (): void => {
    client.dispose();
    worker.terminate();
  };
  try {
    // The wasm runtime is served locally (scripts/setup-assets copies it to assets/ort/); never from a CDN.
    const { manifest, backend } = await client.load(manifestUrl, new URL('ort/', assetBaseUrl).href);
    const started: ModelWorker = { manifest, backend, client, crashed: null, close };
    worker.addEventListener('error', (event) => {
      started.crashed = new Error(`model worker crashed: ${event.message || 'unknown error'}`);
      client.fail(started.crashed);
      worker.terminate();
    });
    return started;
  } catch (error) {
    close();
    throw error;
  }
}

export async function loadModelRunner(manifestUrl: string, assetBaseUrl: string): Promise<ModelRunner> {
  const started = performance.now();
  let current = await startModelWorker(manifestUrl, assetBaseUrl);
  let restarting = false;
  let closed = false;
  let lastRestartAt = -Infinity;
  const restart = (): void => {
    if (restarting || performance.now() - lastRestartAt < MODEL_RESTART_MS) return;
    restarting = true;
    lastRestartAt = performance.now();
    void startModelWorker(manifestUrl, assetBaseUrl)
      .then((next) => {
        if (closed) return next.close(); // closed while the new worker started
        current.close();
        current = next;
      }, () => undefined) // tried again after MODEL_RESTART_MS
      .finally(() => (restarting = false));
  };
  const classify = async (windows: readonly SkeletonWindow[]): Promise<(Prediction | null)[]> => {
    if (current.crashed) {
      restart();
      throw new Error(`${current.crashed.message}; restarting it`);
    }
    return current.client.classify(windows);
  };
  const { manifest, backend } = current;
  const close = (): void => {
    closed = true;
    current.close();
  };
  return { manifest, backend, startupMs: performance.now() - started, classify, close };
}
