/** Types and runtime validation of a model manifest (docs/model-manifest.md). */
import { describeJson } from '../describe-json';
import { getLayout, isLayoutName, type LayoutName } from '../skeleton/layout';
import { NORMALISATION_METHODS, type NormalisationMethod } from '../skeleton/normalisations';
import { FEATURE_CHANNELS, isFeatureMode, type FeatureMode } from '../skeleton/normalise';
import { Checker, ManifestError, type Json } from './manifest-checker';
import { validateStreaming, type StreamingSpec } from './stream-manifest';

// 'ensemble': separately trained streams of different families fused by training.ensemble.
export const MODEL_FAMILIES = ['st-gcn', 'st-tr', 'st-bln', 'san', 'stst', 'ensemble'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];
export const OUTPUT_KEYS = ['logits', 'spatial_attention', 'joint_importance', 'temporal_attention', 'frame_importance'] as const;
export type OutputKey = (typeof OUTPUT_KEYS)[number];

/** Preprocessing pipelines of training/preprocess.py. The app fills its window live, so only these two apply to it. */
export const PREPROCESSES = ['torso-v1', '2s-agcn', 'stst', 'san'] as const;
export type Preprocess = (typeof PREPROCESSES)[number];
const LIVE_PREPROCESSES: readonly Preprocess[] = ['torso-v1', '2s-agcn'];

export interface OutputSpec {
  name: string;
  shape: number[];
  description?: string;
  /** false: the same values for every input (e.g. ST-BLN's learned joint-collapse weights), not a per-window explanation. */
  inputDependent?: boolean;
}

export interface ModelManifest {
  format: 'skeleton-sentinel-model';
  version: 1;
  name: string;
  family: ModelFamily;
  variant: string;
  description: string;
  trained: boolean;
  onnx: { file: string; opset: number; sha256: string };
  input: {
    name: string;
    /** N, C, T, V, M */
    shape: [1, number, number, number, number];
    layout: LayoutName;
    window: number;
    stride: number;
    fps: number;
    persons: number;
    features: FeatureMode;
    channels: string[];
    normalisation: { method: NormalisationMethod; minVisibility: number };
    /** How training fitted recorded clips to the window (docs/skeleton.md, "Preprocessing pipelines"); torso-v1 when absent. */
    preprocess: Preprocess;
  };
  labels: string[];
  outputs: { logits: OutputSpec } & Partial<Record<Exclude<OutputKey, 'logits'>, OutputSpec>>;
  parameters: number;
  metrics: { dataset: string; split: string; top1: number; top5: number; perClass?: Record<string, number> } | null;
  training: { data: string; config: string; epochs: number; date: string } | null;
  /** Present when the model also runs one frame at a time (docs/model-manifest.md, "streaming"). */
  streaming?: StreamingSpec;
}

/** Validates parsed manifest JSON; throws a ManifestError naming the file and the offending field. */
export function validateManifest(value: unknown, source = 'model manifest'): ModelManifest {
  const check: Checker = new Checker(source); // the annotation lets `never`-returning fail() narrow types
  const root = check.object(value, '(root)');
  if (root.format !== 'skeleton-sentinel-model') check.fail('format', `must be "skeleton-sentinel-model", got ${describeJson(root.format)}`);
  if (root.version !== 1) check.fail('version', `must be 1 (the version this app reads), got ${describeJson(root.version)}`);
  const name = check.string(root.name, 'name');
  const family = check.oneOf(root.family, MODEL_FAMILIES, 'family');
  const variant = check.string(root.variant, 'variant');
  if (typeof root.trained !== 'boolean') check.fail('trained', `must be true or false, got ${describeJson(root.trained)}`);

  const onnxJson = check.object(root.onnx, 'onnx');
  const onnx = {
    file: check.onnxFileName(onnxJson.file, 'onnx.file'),
    opset: check.positiveInteger(onnxJson.opset, 'onnx.opset'),
    sha256: check.string(onnxJson.sha256, 'onnx.sha256'),
  };

  const inputJson = check.object(root.input, 'input');
  const shape = check.shape(inputJson.shape, 'input.shape');
  if (shape.length !== 5 || shape[0] !== 1) check.fail('input.shape', `must be [1, C, T, V, M], got ${describeJson(shape)}`);
  const [, channelCount, frames, joints, persons] = shape as [1, number, number, number, number];
  const layoutName = check.string(inputJson.layout, 'input.layout');
  if (!isLayoutName(layoutName)) check.fail('input.layout', `"${layoutName}" is not a layout of src/skeleton/layouts.json`);
  const layoutJoints = getLayout(layoutName).joints.length;
  if (joints !== layoutJoints) check.fail('input.shape', `has V=${joints} but layout "${layoutName}" has ${layoutJoints} joints`);
  const features = inputJson.features;
  if (!isFeatureMode(features)) check.fail('input.features', `must be one of ${Object.keys(FEATURE_CHANNELS).join(', ')}, got ${describeJson(features)}`);
  const window = check.positiveInteger(inputJson.window, 'input.window');
  const stride = check.positiveInteger(inputJson.stride, 'input.stride');
  const fps = check.number(inputJson.fps, 'input.fps');
  if (fps <= 0) check.fail('input.fps', `must be positive, got ${fps}`);
  const personCount = check.positiveInteger(inputJson.persons, 'input.persons');
  if (!Array.isArray(inputJson.channels)) check.fail('input.channels', `must be an array of channel names, got ${describeJson(inputJson.channels)}`);
  const channels = inputJson.channels.map((channel, index) => check.string(channel, `input.channels[${index}]`));
  const normalisation = check.object(inputJson.normalisation, 'input.normalisation');
  const method = check.oneOf(normalisation.method, NORMALISATION_METHODS, 'input.normalisation.method');
  const minVisibility = check.number(normalisation.minVisibility, 'input.normalisation.minVisibility');
  if (method === 'agcn-v1' && !getLayout(layoutName).viewAlignment) check.fail('input.normalisation.method', `agcn-v1 needs a layout with viewAlignment joints; "${layoutName}" has none`);
  const preprocess = inputJson.preprocess === undefined ? 'torso-v1' : check.oneOf(inputJson.preprocess, PREPROCESSES, 'input.preprocess');
  if (!LIVE_PREPROCESSES.includes(preprocess)) {
    check.fail('input.preprocess', `is "${preprocess}", which crops and resamples whole recorded clips (training/preprocess.py); the app labels a live window and cannot run it: export the model with preprocess ${LIVE_PREPROCESSES.join(' or ')}`);
  }

  // The shape must agree with what the manifest says elsewhere, or the tensor we build would not fit.
  if (channelCount !== FEATURE_CHANNELS[features]) check.fail('input.shape', `has C=${channelCount} but features "${features}" give ${FEATURE_CHANNELS[features]} channels`);
  if (channels.length !== channelCount) check.fail('input.channels', `names ${channels.length} channels but input.shape has C=${channelCount}`);
  if (frames !== window) check.fail('input.shape', `has T=${frames} but input.window is ${window}`);
  if (persons !== personCount) check.fail('input.shape', `has M=${persons} but input.persons is ${personCount}`);
  if (stride > window) check.fail('input.stride', `(${stride}) must not exceed input.window (${window})`);

  if (!Array.isArray(root.labels) || root.labels.length === 0) check.fail('labels', `must be a non-empty array of class names, got ${describeJson(root.labels)}`);
  const labels = root.labels.map((label, index) => check.string(label, `labels[${index}]`));

  const outputsJson = check.object(root.outputs, 'outputs');
  if (!outputsJson.logits) check.fail('outputs.logits', 'is mandatory');
  const outputs: Json = {};
  for (const [key, spec] of Object.entries(outputsJson)) {
    check.oneOf(key, OUTPUT_KEYS, `outputs key "${key}"`);
    const specJson = check.object(spec, `outputs.${key}`);
    outputs[key] = {
      name: check.string(specJson.name, `outputs.${key}.name`),
      shape: check.shape(specJson.shape, `outputs.${key}.shape`),
      ...(typeof specJson.description === 'string' ? { description: specJson.description } : {}),
      ...(specJson.inputDependent === false ? { inputDependent: false } : {}),
    };
  }
  const typedOutputs = outputs as ModelManifest['outputs'];
  const expectedShapes: Record<OutputKey, number[]> = {
    logits: [1, labels.length],
    spatial_attention: [1, joints, joints],
    joint_importance: [1, joints],
    temporal_attention: [1, frames, frames],
    frame_importance: [1, frames],
  };
  for (const key of OUTPUT_KEYS) {
    const spec = typedOutputs[key];
    if (spec && describeJson(spec.shape) !== describeJson(expectedShapes[key])) {
      check.fail(`outputs.${key}.shape`, `must be ${describeJson(expectedShapes[key])} for ${labels.length} labels, T=${frames}, V=${joints}; got ${describeJson(spec.shape)}`);
    }
  }

  return {
    format: 'skeleton-sentinel-model',
    version: 1,
    name,
    family,
    variant,
    description: typeof root.description === 'string' ? root.description : '',
    trained: root.trained as boolean,
    onnx,
    input: {
      name: check.string(inputJson.name, 'input.name'),
      shape: [1, channelCount, frames, joints, persons],
      layout: layoutName,
      window,
      stride,
      fps,
      persons: personCount,
      features,
      channels,
      normalisation: { method, minVisibility },
      preprocess,
    },
    labels,
    outputs: typedOutputs,
    parameters: typeof root.parameters === 'number' ? root.parameters : 0,
    metrics: (root.metrics ?? null) as ModelManifest['metrics'],
    training: (root.training ?? null) as ModelManifest['training'],
    ...(root.streaming === undefined ? {} : { streaming: validateStreaming(check, root.streaming, { channels: channelCount, joints, persons, window, labels: labels.length }) }),
  };
}

/** Parses manifest text (JSON); malformed JSON gets the same kind of error as a malformed manifest. */
export function parseManifest(text: string, source = 'model manifest'): ModelManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  return validateManifest(value, source);
}
