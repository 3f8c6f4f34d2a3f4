/** The real untrained model the exporter commits; tests that need it skip (with a message) while it is absent. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-web';
import type { ReadBytes } from '../../../src/model/load';

export const MODEL_MANIFEST = 'models/ttr-lite-untrained.json';
export const MODEL_PRESENT = existsSync(MODEL_MANIFEST);
if (!MODEL_PRESENT) console.warn(`skipping tests that need ${MODEL_MANIFEST}: run the exporter (training/export.py) to create it`);

export const readFileBytes: ReadBytes = async (path) => new Uint8Array(await readFile(path));

// Node tests run the same wasm backend as the browser, single-threaded.
ort.env.wasm.numThreads = 1;
