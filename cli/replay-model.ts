/** The app's action model in Node for replaying recordings (eval:falls, fit:falls): onnxruntime-web, wasm, 1 thread. */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web';
import type { ReplayModel } from '../eval/fall-replay';
import { loadManifestClassifier } from '../src/model/load';
import { LABEL_EVERY_TICK, windowConfigForModel, type WindowConfig } from '../src/window';

/** Tracking only (no model): the live app's default window settings. */
export const DEFAULT_REPLAY_WINDOW: WindowConfig = windowConfigForModel({ window: 64, stride: 8, fps: 30, persons: 1 });

export interface OpenedReplayModel extends ReplayModel {
  name: string;
  window: WindowConfig;
  release(): Promise<void>;
}

export async function openReplayModel(manifestPath: string): Promise<OpenedReplayModel> {
  ort.env.wasm.numThreads = 1;
  const model = await loadManifestClassifier(manifestPath, async (file) => new Uint8Array(await readFile(file)));
  const { manifest } = model;
  return {
    name: manifest.name,
    labels: manifest.labels,
    trained: manifest.trained,
    window: windowConfigForModel({ ...manifest.input, stride: LABEL_EVERY_TICK }, { layout: 'blazepose33' }),
    classify: (window) => model.classify(window),
    release: () => model.release(),
  };
}
