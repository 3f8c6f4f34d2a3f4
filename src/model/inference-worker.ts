/// <reference lib="webworker" />
/**
 * Module worker hosting the ActionModel (see inference-protocol.ts for the messages). Create it with
 * `new Worker(new URL('./inference-worker.ts', import.meta.url), { type: 'module' })` and talk to it through
 * `new InferenceClient(worker)`. The onnxruntime-web wasm files are fetched from `wasmPaths` when they are not
 * served beside the bundle: pass their URL to `client.load(manifestUrl, wasmPaths)`.
 */
import { browserEnvironment } from './backend';
import { serveInference } from './inference-protocol';
import { fetchBytes } from './load';

serveInference(self as unknown as DedicatedWorkerGlobalScope, fetchBytes, browserEnvironment);
