/** An ONNX Runtime session created only from bytes the manifest vouches for, with the names and shapes it promises. */
import * as ort from 'onnxruntime-web';

export type ExecutionBackend = 'webgpu' | 'wasm';

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/** The ONNX protobuf starts with field 1 (ir_version, varint): tag byte 0x08. Anything else is not a model. */
const ONNX_FIRST_BYTE = 0x08;

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function shapeText(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(', ')}]`;
}

/** Static dims must match; a symbolic dim (a string such as "batch") accepts the manifest's size. */
function shapeMatches(model: ReadonlyArray<number | string>, manifest: readonly number[]): boolean {
  return model.length === 0 || (model.length === manifest.length && model.every((dim, i) => typeof dim === 'string' || dim === manifest[i]));
}

export interface ExpectedTensor {
  /** "input", "output logits", …: how error messages name it. */
  role: string;
  kind: 'input' | 'output';
  name: string;
  shape: readonly number[];
}

function checkSignature(session: ort.InferenceSession, expected: readonly ExpectedTensor[], source: string): void {
  for (const { role, kind, name, shape } of expected) {
    const metadata = kind === 'input' ? session.inputMetadata : session.outputMetadata;
    const found = metadata.find((value) => value.name === name);
    if (!found) {
      const names = metadata.map((value) => value.name).join(', ');
      throw new ModelLoadError(`${source}: the manifest's ${role} "${name}" is not in the model (it has: ${names})`);
    }
    if (found.isTensor && !shapeMatches(found.shape, shape)) {
      throw new ModelLoadError(`${source}: ${role} "${name}" has shape ${shapeText(found.shape)} in the model but ${shapeText(shape)} in the manifest`);
    }
  }
}

/**
 * Checks the bytes (ONNX header, the manifest's sha256), creates the session and checks that its inputs and outputs
 * are those the manifest promises. `source` names the file in error messages.
 */
export async function createCheckedSession(
  onnxBytes: Uint8Array<ArrayBuffer>,
  sha256: string,
  backend: ExecutionBackend,
  source: string,
  expected: readonly ExpectedTensor[],
): Promise<ort.InferenceSession> {
  if (onnxBytes.length === 0 || onnxBytes[0] !== ONNX_FIRST_BYTE) {
    throw new ModelLoadError(`${source}: not an ONNX model (${onnxBytes.length} bytes, it does not start like an ONNX protobuf)`);
  }
  const digest = await sha256Hex(onnxBytes);
  if (digest !== sha256.toLowerCase()) {
    throw new ModelLoadError(`${source}: sha256 ${digest} differs from the manifest's ${sha256}; the file is corrupt or belongs to another manifest`);
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(onnxBytes, { executionProviders: [backend], graphOptimizationLevel: 'all' });
  } catch (error) {
    throw new ModelLoadError(`${source}: ONNX Runtime (${backend}) cannot load it: ${(error as Error).message}`);
  }
  try {
    checkSignature(session, expected, source);
  } catch (error) {
    await session.release();
    throw error;
  }
  return session;
}

/**
 * One call at a time: an onnxruntime-web session must not run twice at once (concurrent runs fail with "output name
 * cannot be empty"), and a streaming model's person states must see its calls in order. Callers that do not wait
 * (Promise.all over recordings) are queued here.
 */
export class OneAtATime {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.last.then(task, task);
    this.last = result.catch(() => undefined);
    return result;
  }
}
