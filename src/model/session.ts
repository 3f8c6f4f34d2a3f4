/**
 * ActionModel: one ONNX Runtime Web session for one manifest. Runs in a browser worker and in Node
 * (onnxruntime-web resolves to its Node build there, which uses the same wasm backend).
 */
import * as ort from 'onnxruntime-web';
import { windowFeatures } from '../skeleton/normalise';
import type { SkeletonWindow } from '../window/assembler';
import type { ModelManifest, OutputKey } from './manifest';
import { checkedOutput } from './output-check';
import { softmax, topLabels, type Prediction } from './prediction';

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

function shapeText(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(', ')}]`;
}

/** Static dims must match; a symbolic dim (a string such as "batch") accepts the manifest's size. */
function shapeMatches(model: ReadonlyArray<number | string>, manifest: readonly number[]): boolean {
  return model.length === 0 || (model.length === manifest.length && model.every((dim, i) => typeof dim === 'string' || dim === manifest[i]));
}

const OPTIONAL_OUTPUTS = {
  joint_importance: 'jointImportance',
  frame_importance: 'frameImportance',
  spatial_attention: 'spatialAttention',
  temporal_attention: 'temporalAttention',
} as const satisfies Partial<Record<OutputKey, keyof Prediction>>;

export interface ModelInput {
  /** Feature tensor (C, T, V, M) from windowFeatures(); the batch axis of 1 is implied. */
  features: Float32Array;
  t: number;
  personId: number;
}

export function modelFeatureSpec(manifest: ModelManifest) {
  const { layout, features, normalisation } = manifest.input;
  return { layout, features, minVisibility: normalisation.minVisibility };
}

export class ActionModel {
  private constructor(
    readonly manifest: ModelManifest,
    readonly backend: ExecutionBackend,
    private readonly session: ort.InferenceSession,
  ) {}

  /**
   * Checks the bytes (ONNX header, sha256 from the manifest), creates the session and checks that its input and
   * output names and shapes are those the manifest promises. `source` names the file in error messages.
   */
  static async load(
    manifest: ModelManifest,
    onnxBytes: Uint8Array<ArrayBuffer>,
    options: { backend?: ExecutionBackend; source?: string } = {},
  ): Promise<ActionModel> {
    const source = options.source ?? manifest.onnx.file;
    const backend = options.backend ?? 'wasm';
    if (onnxBytes.length === 0 || onnxBytes[0] !== ONNX_FIRST_BYTE) {
      throw new ModelLoadError(`${source}: not an ONNX model (${onnxBytes.length} bytes, it does not start like an ONNX protobuf)`);
    }
    const digest = await sha256Hex(onnxBytes);
    if (digest !== manifest.onnx.sha256.toLowerCase()) {
      throw new ModelLoadError(`${source}: sha256 ${digest} differs from the manifest's ${manifest.onnx.sha256}; the file is corrupt or belongs to another manifest`);
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(onnxBytes, { executionProviders: [backend], graphOptimizationLevel: 'all' });
    } catch (error) {
      throw new ModelLoadError(`${source}: ONNX Runtime (${backend}) cannot load it: ${(error as Error).message}`);
    }
    try {
      ActionModel.checkSignature(manifest, session, source);
    } catch (error) {
      await session.release();
      throw error;
    }
    return new ActionModel(manifest, backend, session);
  }

  private static checkSignature(manifest: ModelManifest, session: ort.InferenceSession, source: string): void {
    const expected = [
      { role: 'input', name: manifest.input.name, shape: manifest.input.shape, metadata: session.inputMetadata },
      ...Object.entries(manifest.outputs).map(([key, spec]) => ({
        role: `output ${key}`,
        name: spec.name,
        shape: spec.shape,
        metadata: session.outputMetadata,
      })),
    ];
    for (const { role, name, shape, metadata } of expected) {
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

  /** Runs one window and returns the typed prediction; all ORT tensors are released before returning. */
  async predict(input: ModelInput): Promise<Prediction> {
    const { manifest } = this;
    const expectedLength = manifest.input.shape.reduce((a, b) => a * b, 1);
    if (input.features.length !== expectedLength) {
      throw new Error(`model "${manifest.name}" expects ${expectedLength} input values (${shapeText(manifest.input.shape)}), got ${input.features.length}`);
    }
    const tensor = new ort.Tensor('float32', input.features, manifest.input.shape);
    const started = performance.now();
    let results: ort.InferenceSession.ReturnType | undefined;
    try {
      results = await this.session.run({ [manifest.input.name]: tensor });
      const modelMs = performance.now() - started;
      // Every output the manifest names must come back with its shape and finite values (checkSignature required them).
      const read = (key: OutputKey): Float32Array | undefined => {
        const spec = manifest.outputs[key];
        return spec && checkedOutput(manifest.name, spec.name, spec.shape, results![spec.name]);
      };
      const probabilities = softmax(read('logits')!);
      const prediction: Prediction = {
        t: input.t,
        personId: input.personId,
        probabilities,
        top: topLabels(probabilities, manifest.labels),
        modelMs,
        untrained: !manifest.trained,
      };
      for (const [key, field] of Object.entries(OPTIONAL_OUTPUTS) as [keyof typeof OPTIONAL_OUTPUTS, (typeof OPTIONAL_OUTPUTS)[keyof typeof OPTIONAL_OUTPUTS]][]) {
        const values = read(key);
        if (values) prediction[field] = values;
      }
      return prediction;
    } finally {
      tensor.dispose();
      for (const value of Object.values(results ?? {})) value.dispose();
    }
  }

  /** Preprocesses a skeleton window for this model and runs it; null when the window cannot be classified. */
  async classify(window: SkeletonWindow): Promise<Prediction | null> {
    const { input, name } = this.manifest;
    if (window.raw.frames !== input.window || window.raw.persons !== input.persons) {
      throw new Error(`model "${name}" takes windows of ${input.window} frames × ${input.persons} persons, got ${window.raw.frames} × ${window.raw.persons}: build windows with windowConfigForModel(manifest.input)`);
    }
    const features = windowFeatures(window.raw, modelFeatureSpec(this.manifest));
    return features && this.predict({ features, t: window.t, personId: window.personId });
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
