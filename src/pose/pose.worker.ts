/// <reference lib="webworker" />
// Hosts one MediaPipe PoseLandmarker (VIDEO mode) per worker; the main thread makes a new worker per stream
// because VIDEO mode carries tracking state across frames.
import { FilesetResolver, PoseLandmarker } from '@mediapipe/tasks-vision';
import { checkTaskBundle, nextVideoTimestamp, toPoseFrame } from './pose-frame';
import type { PoseWorkerInit, PoseWorkerRequest, PoseWorkerResponse } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let landmarker: PoseLandmarker | null = null;
let lastTimestamp = -Infinity;

function post(message: PoseWorkerResponse): void {
  scope.postMessage(message);
}

/**
 * tasks-vision loads its wasm glue with importScripts in a classic worker and with import() in a module worker,
 * and each needs the matching glue file (classic vs ES module build). Vite bundles this worker as a module in
 * dev and may emit a classic one in a build, so ask the worker itself which kind it is.
 */
function isModuleWorker(): boolean {
  try {
    scope.importScripts();
    return false;
  } catch {
    return true;
  }
}

async function fetchModel(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`pose model ${url} could not be fetched: ${String(error)}`);
  }
  if (!response.ok) {
    throw new Error(`pose model ${url} is missing (HTTP ${response.status}); run "npm run setup" to fetch the pose bundles`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  checkTaskBundle(bytes, url);
  return bytes;
}

async function init(request: PoseWorkerInit): Promise<void> {
  const started = performance.now();
  const [fileset, model] = await Promise.all([
    FilesetResolver.forVisionTasks(request.wasmBaseUrl, isModuleWorker()),
    fetchModel(request.modelUrl),
  ]);
  try {
    landmarker = await PoseLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetBuffer: model, delegate: request.delegate },
      runningMode: 'VIDEO',
      numPoses: request.numPoses,
    });
  } catch (error) {
    throw new Error(`pose model ${request.modelUrl} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  lastTimestamp = -Infinity;
  post({ type: 'ready', initMs: performance.now() - started });
}

function detect(id: number, bitmap: ImageBitmap, t: number): void {
  try {
    if (!landmarker) throw new Error('pose landmarker is not initialised');
    const started = performance.now();
    lastTimestamp = nextVideoTimestamp(t, lastTimestamp);
    const result = landmarker.detectForVideo(bitmap, lastTimestamp);
    const frame = toPoseFrame(result, t, bitmap.width, bitmap.height);
    post({ type: 'poses', id, frame, poseMs: performance.now() - started });
  } finally {
    bitmap.close();
  }
}

scope.onmessage = (event: MessageEvent<PoseWorkerRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'init':
      init(request).catch((error: unknown) =>
        post({ type: 'error', id: null, message: error instanceof Error ? error.message : String(error) }),
      );
      break;
    case 'detect':
      try {
        detect(request.id, request.bitmap, request.t);
      } catch (error) {
        post({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
      }
      break;
    case 'close':
      landmarker?.close();
      landmarker = null;
      scope.close();
      break;
  }
};
