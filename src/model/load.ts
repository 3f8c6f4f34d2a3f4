import { parseManifest, type ModelManifest } from './manifest';
import { classifierFile, loadClassifier, type Classifier } from './classifier';
import { ActionModel, ModelLoadError, type ExecutionBackend } from './session';

/** Reads a file by a path or URL relative to the manifest's location (fetch in the browser, fs in Node). */
export type ReadBytes = (location: string) => Promise<Uint8Array<ArrayBuffer>>;

/** The ONNX files sit beside their manifest: resolve `file` (default `onnx.file`) against the manifest's location. */
export function onnxLocation(manifestLocation: string, manifest: ModelManifest, file = manifest.onnx.file): string {
  const slash = manifestLocation.lastIndexOf('/');
  return `${manifestLocation.slice(0, slash + 1)}${file}`;
}

async function readOrExplain(read: ReadBytes, location: string, what: string): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return await read(location);
  } catch (error) {
    throw new ModelLoadError(`cannot read the ${what} ${location}: ${(error as Error).message}`);
  }
}

export async function loadManifest(manifestLocation: string, read: ReadBytes): Promise<ModelManifest> {
  const text = new TextDecoder().decode(await readOrExplain(read, manifestLocation, 'model manifest'));
  return parseManifest(text, manifestLocation);
}

/** One of the manifest's ONNX files (default: the windowed one), read with an error that names it. */
async function readOnnx(manifestLocation: string, manifest: ModelManifest, read: ReadBytes, file = manifest.onnx.file) {
  const source = onnxLocation(manifestLocation, manifest, file);
  return { bytes: await readOrExplain(read, source, 'ONNX model'), source };
}

/** Manifest + the ONNX the app runs (the streaming one when there is one) → Classifier; errors name the file. */
export async function loadManifestClassifier(
  manifestLocation: string,
  read: ReadBytes,
  backend: ExecutionBackend = 'wasm',
): Promise<Classifier> {
  const manifest = await loadManifest(manifestLocation, read);
  const { bytes, source } = await readOnnx(manifestLocation, manifest, read, classifierFile(manifest));
  return loadClassifier(manifest, bytes, { backend, source });
}

/** Manifest + windowed ONNX → ActionModel, every failure as an error that names the file. */
export async function loadActionModel(
  manifestLocation: string,
  read: ReadBytes,
  backend: ExecutionBackend = 'wasm',
): Promise<ActionModel> {
  const manifest = await loadManifest(manifestLocation, read);
  const { bytes, source } = await readOnnx(manifestLocation, manifest, read);
  return ActionModel.load(manifest, bytes, { backend, source });
}

/** ReadBytes over fetch(), for the browser and workers. */
export const fetchBytes: ReadBytes = async (location) => {
  const response = await fetch(location);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
};
