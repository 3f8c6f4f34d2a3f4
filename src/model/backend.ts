/**
 * Execution backend choice. WebGPU is not always faster: on a software adapter (SwiftShader) it was ~100x slower
 * than WASM for a small model (/work/shared/platform-notes.md), so with an adapter the actual model is timed on
 * both and the faster one wins. Multi-threaded WASM needs SharedArrayBuffer, i.e. a cross-origin isolated page.
 */
import * as ort from 'onnxruntime-web';
import type { ModelManifest } from './manifest';
import type { ExecutionBackend } from './checked-session';
import { loadClassifier, type Classifier } from './classifier';
import { median } from '../stats';

/** The parts of the browser environment the choice depends on (injected so Node tests can vary them). */
export interface BackendEnvironment {
  gpu?: { requestAdapter(): Promise<unknown> } | undefined;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface BackendReport {
  backend: ExecutionBackend;
  wasmThreads: number;
  /** Median ms per run of the model on each backend that was measured. */
  timings: Partial<Record<ExecutionBackend, number>>;
  /** Why this backend, in words for the UI. */
  reason: string;
}

export function browserEnvironment(): BackendEnvironment {
  const nav = globalThis.navigator as (Navigator & { gpu?: BackendEnvironment['gpu'] }) | undefined;
  return {
    gpu: nav?.gpu,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: nav?.hardwareConcurrency ?? 1,
  };
}

/** Threads for WASM: one unless isolated; then half the cores (MediaPipe and the page need the rest), at most 4. */
export function wasmThreadCount(environment: BackendEnvironment): number {
  return environment.crossOriginIsolated ? Math.max(1, Math.min(4, Math.floor(environment.hardwareConcurrency / 2))) : 1;
}

/**
 * Median ms of `runs` runs on zeros, after one warm-up run (shader or kernel compilation).
 * Stops early with the time of a run slower than `giveUpAfterMs`: a backend that slow has lost already.
 */
export async function timeModel(model: Classifier, runs: number, giveUpAfterMs = Infinity): Promise<number> {
  await model.timeRun();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const modelMs = await model.timeRun();
    if (modelMs > giveUpAfterMs) return modelMs;
    times.push(modelMs);
  }
  return median(times)!;
}

/** Software adapters (SwiftShader) run small models ~100x slower than WASM: not worth a start-up measurement. */
function isFallbackAdapter(adapter: unknown): boolean {
  const candidate = adapter as { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean; architecture?: string } };
  return candidate.isFallbackAdapter === true || candidate.info?.isFallbackAdapter === true || candidate.info?.architecture === 'swiftshader';
}

export async function loadFastestModel(
  manifest: ModelManifest,
  onnxBytes: Uint8Array<ArrayBuffer>,
  environment: BackendEnvironment = browserEnvironment(),
  options: { runs?: number; source?: string } = {},
): Promise<{ model: Classifier; report: BackendReport }> {
  const runs = options.runs ?? 5;
  const wasmThreads = wasmThreadCount(environment);
  ort.env.wasm.numThreads = wasmThreads;
  const wasm = await loadClassifier(manifest, onnxBytes, { backend: 'wasm', source: options.source });
  const timings: BackendReport['timings'] = { wasm: await timeModel(wasm, runs) };
  const chooseWasm = async (reason: string) => ({ model: wasm, report: { backend: 'wasm' as const, wasmThreads, timings, reason } });

  if (!environment.gpu) return chooseWasm('WebGPU is not available in this browser');
  let adapter: unknown;
  try {
    adapter = await environment.gpu.requestAdapter();
  } catch (error) {
    return chooseWasm(`WebGPU adapter request failed: ${(error as Error).message}`);
  }
  if (!adapter) return chooseWasm('WebGPU gives no adapter');
  if (isFallbackAdapter(adapter)) return chooseWasm('the WebGPU adapter is a software fallback (no GPU)');
  let webgpu: Classifier | undefined;
  try {
    webgpu = await loadClassifier(manifest, onnxBytes, { backend: 'webgpu', source: options.source });
    timings.webgpu = await timeModel(webgpu, runs, 2 * timings.wasm!);
  } catch (error) {
    await webgpu?.release();
    return chooseWasm(`WebGPU failed to run the model: ${(error as Error).message}`);
  }
  if (timings.webgpu < timings.wasm!) {
    await wasm.release();
    return { model: webgpu, report: { backend: 'webgpu', wasmThreads, timings, reason: 'WebGPU was faster in the start-up measurement' } };
  }
  await webgpu.release();
  return chooseWasm('WASM was faster than WebGPU in the start-up measurement');
}
