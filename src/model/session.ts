/**
 * ActionModel: one ONNX Runtime Web session for one manifest. Runs in a browser worker and in Node
 * (onnxruntime-web resolves to its Node build there, which uses the same wasm backend).
 */
import * as ort from 'onnxruntime-web';
import { windowFeaturesFor } from '../skeleton/normalisations';
import type { SkeletonWindow } from '../window/frames';
import type { ModelManifest, OutputKey } from './manifest';
import { createCheckedSession, OneAtATime, shapeText, type ExecutionBackend, type ExpectedTensor } from './checked-session';
import { checkedOutput } from './output-check';
import { softmax, topLabels, type Prediction } from './prediction';

export { ModelLoadError, type ExecutionBackend } from './checked-session';

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
  private readonly queue = new OneAtATime();

  private constructor(
    readonly manifest: ModelManifest,
    readonly backend: ExecutionBackend,
    private readonly session: ort.InferenceSession,
  ) {}

  /** The session, once its bytes and signature are checked against the manifest (createCheckedSession). */
  static async load(
    manifest: ModelManifest,
    onnxBytes: Uint8Array<ArrayBuffer>,
    options: { backend?: ExecutionBackend; source?: string } = {},
  ): Promise<ActionModel> {
    const backend = options.backend ?? 'wasm';
    const expected: ExpectedTensor[] = [
      { role: 'input', kind: 'input', name: manifest.input.name, shape: manifest.input.shape },
      ...Object.entries(manifest.outputs).map(([key, spec]) => ({ role: `output ${key}`, kind: 'output' as const, name: spec.name, shape: spec.shape })),
    ];
    const session = await createCheckedSession(onnxBytes, manifest.onnx.sha256, backend, options.source ?? manifest.onnx.file, expected);
    return new ActionModel(manifest, backend, session);
  }

  /** Runs one window and returns the typed prediction; all ORT tensors are released before returning. */
  predict(input: ModelInput): Promise<Prediction> {
    return this.queue.run(() => this.run(input));
  }

  private async run(input: ModelInput): Promise<Prediction> {
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
    const features = windowFeaturesFor(this.manifest.input.normalisation.method)(window.raw, modelFeatureSpec(this.manifest));
    return features && this.predict({ features, t: window.t, personId: window.personId });
  }

  /** The windows one after the other: this model's ONNX has a batch of one. */
  async classifyAll(windows: readonly SkeletonWindow[]): Promise<(Prediction | null)[]> {
    const predictions: (Prediction | null)[] = [];
    for (const window of windows) predictions.push(await this.classify(window));
    return predictions;
  }

  async timeRun(): Promise<number> {
    const features = new Float32Array(this.manifest.input.shape.reduce((a, b) => a * b, 1));
    return (await this.predict({ features, t: 0, personId: 0 })).modelMs;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
