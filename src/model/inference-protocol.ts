/**
 * Typed messages between the app and the inference worker, the worker-side handler and the app-side client.
 * Both sides only need a MessagePort-like object, so Node tests run them over a real MessageChannel.
 */
import * as ort from 'onnxruntime-web';
import type { SkeletonWindow } from '../window/frames';
import { loadFastestModel, type BackendEnvironment, type BackendReport } from './backend';
import { loadManifest, onnxLocation, type ReadBytes } from './load';
import type { ModelManifest } from './manifest';
import type { Prediction } from './prediction';
import { classifierFile, type Classifier } from './classifier';

export type InferenceRequest =
  /** wasmPaths: where the onnxruntime-web wasm files are served (a worker has no document to resolve them against). */
  | { type: 'load'; id: number; manifestUrl: string; wasmPaths?: string }
  | { type: 'classify'; id: number; windows: SkeletonWindow[] }
  | { type: 'release'; id: number };

export type InferenceResponse =
  | { type: 'loaded'; id: number; manifest: ModelManifest; backend: BackendReport }
  | { type: 'predictions'; id: number; predictions: (Prediction | null)[] }
  | { type: 'released'; id: number }
  | { type: 'error'; id: number; message: string };

export interface MessagePortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
}

/** The predictions' arrays move to the app instead of being copied (each has its own buffer). */
function predictionTransfer(predictions: (Prediction | null)[]): Transferable[] {
  return predictions.flatMap((prediction) => {
    if (!prediction) return [];
    const arrays = [prediction.probabilities, prediction.jointImportance, prediction.frameImportance, prediction.spatialAttention, prediction.temporalAttention];
    return arrays.flatMap((array) => (array ? [array.buffer] : []));
  });
}

/** Worker side: hosts one model (windowed or streaming, see classifier.ts) at a time; requests are handled in arrival order. */
export function serveInference(port: MessagePortLike, read: ReadBytes, environment: () => BackendEnvironment): void {
  let model: Classifier | null = null;
  let queue = Promise.resolve();
  const handle = async (request: InferenceRequest): Promise<void> => {
    try {
      switch (request.type) {
        case 'load': {
          if (request.wasmPaths) ort.env.wasm.wasmPaths = request.wasmPaths;
          const manifest = await loadManifest(request.manifestUrl, read);
          const location = onnxLocation(request.manifestUrl, manifest, classifierFile(manifest));
          const bytes = await read(location);
          await model?.release();
          model = null;
          const loaded = await loadFastestModel(manifest, bytes, environment(), { source: location });
          model = loaded.model;
          port.postMessage({ type: 'loaded', id: request.id, manifest, backend: loaded.report } satisfies InferenceResponse);
          return;
        }
        case 'classify': {
          if (!model) throw new Error('no model loaded: send a "load" request first');
          const predictions = await model.classifyAll(request.windows);
          port.postMessage({ type: 'predictions', id: request.id, predictions } satisfies InferenceResponse, predictionTransfer(predictions));
          return;
        }
        case 'release': {
          await model?.release();
          model = null;
          port.postMessage({ type: 'released', id: request.id } satisfies InferenceResponse);
          return;
        }
      }
    } catch (error) {
      port.postMessage({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) } satisfies InferenceResponse);
    }
  };
  port.addEventListener('message', (event: MessageEvent) => {
    const request = event.data as InferenceRequest;
    queue = queue.then(() => handle(request));
  });
  port.start?.();
}

/** App side: promise-returning calls; `classify` has the ModelStage signature of the pipeline. */
export class InferenceClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (response: InferenceResponse) => void; reject: (error: Error) => void }>();
  private broken: Error | null = null;
  private readonly listener = (event: MessageEvent) => {
    const response = event.data as InferenceResponse;
    this.waiting.get(response.id)?.resolve(response);
    this.waiting.delete(response.id);
  };

  constructor(private readonly port: MessagePortLike) {
    port.addEventListener('message', this.listener);
    port.start?.();
  }

  private request<T extends InferenceResponse['type']>(
    message: InferenceRequest,
    expected: T,
    transfer: Transferable[] = [],
  ): Promise<Extract<InferenceResponse, { type: T }>> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.waiting.set(message.id, {
        reject,
        resolve: (response) => {
          if (response.type === expected) resolve(response as Extract<InferenceResponse, { type: T }>);
          else if (response.type === 'error') reject(new Error(response.message));
          else reject(new Error(`inference worker answered "${response.type}" to "${message.type}"`));
        },
      });
      this.port.postMessage(message, transfer);
    });
  }

  async load(manifestUrl: string, wasmPaths?: string): Promise<{ manifest: ModelManifest; backend: BackendReport }> {
    const { manifest, backend } = await this.request({ type: 'load', id: this.nextId++, manifestUrl, wasmPaths }, 'loaded');
    return { manifest, backend };
  }

  /**
   * All people's windows of one frame in one message; their sample buffers are transferred, not copied: the
   * assembler builds a fresh window per emission and nothing else reads it after the model stage.
   */
  readonly classify = async (windows: readonly SkeletonWindow[]): Promise<(Prediction | null)[]> => {
    const message: InferenceRequest = { type: 'classify', id: this.nextId++, windows: [...windows] };
    const response = await this.request(message, 'predictions', windows.map((window) => window.raw.data.buffer));
    return response.predictions;
  };

  async release(): Promise<void> {
    await this.request({ type: 'release', id: this.nextId++ }, 'released');
  }

  /** The worker behind the port died: every waiting and every later request fails with `error`, none hangs. */
  fail(error: Error): void {
    this.broken = error;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }

  dispose(): void {
    this.port.removeEventListener('message', this.listener);
  }
}
