/** The optional "streaming" section of a model manifest (docs/model-manifest.md): the per-frame ONNX and its state. */
import { describeJson } from '../describe-json';
import type { Checker } from './manifest-checker';

export interface StreamingState {
  /** Input name of the state, and the output that returns its next value. */
  input: string;
  output: string;
  /** Shape for one person; the batch axis (first, 1 here) is one row per person in the call. */
  shape: number[];
}

export interface StreamingSpec {
  onnx: { file: string; opset: number; sha256: string };
  /**
   * Frames (1, C, 1, V) of features: batch axis as for the states, the frame axis takes any count F ≥ 1; or
   * (1, C, V), one frame per call (the first format, in manifests exported before the frame axis).
   */
  frame: { name: string; shape: [1, number, 1, number] | [1, number, number] };
  states: StreamingState[];
  /** Output name of the logits (batch, labels). */
  logits: string;
  /** Input frames behind one output position. */
  receptiveField: number;
  /** Frames from the zero state after which the logits equal the windowed model's on the last window; = input.window. */
  warmupFrames: number;
}

export function validateStreaming(
  check: Checker,
  value: unknown,
  input: { channels: number; joints: number; persons: number; window: number; labels: number },
): StreamingSpec {
  const json = check.object(value, 'streaming');
  const onnxJson = check.object(json.onnx, 'streaming.onnx');
  const onnx = {
    file: check.onnxFileName(onnxJson.file, 'streaming.onnx.file'),
    opset: check.positiveInteger(onnxJson.opset, 'streaming.onnx.opset'),
    sha256: check.string(onnxJson.sha256, 'streaming.onnx.sha256'),
  };
  if (input.persons !== 1) check.fail('streaming', `needs input.persons 1 (one person per state), got ${input.persons}`);
  const frameJson = check.object(json.frame, 'streaming.frame');
  const frameShape = check.shape(frameJson.shape, 'streaming.frame.shape');
  const expectedFrame = [1, input.channels, 1, input.joints];
  const oneFrame = [1, input.channels, input.joints];
  if (![expectedFrame, oneFrame].some((shape) => describeJson(shape) === describeJson(frameShape))) {
    check.fail('streaming.frame.shape', `must be ${describeJson(expectedFrame)} (1, C, 1, V of input.shape) or ${describeJson(oneFrame)}, got ${describeJson(frameShape)}`);
  }
  if (!Array.isArray(json.states) || json.states.length === 0) check.fail('streaming.states', `must be a non-empty array, got ${describeJson(json.states)}`);
  const states = json.states.map((state, index) => {
    const path = `streaming.states[${index}]`;
    const stateJson = check.object(state, path);
    const shape = check.shape(stateJson.shape, `${path}.shape`);
    if (shape[0] !== 1) check.fail(`${path}.shape`, `must start with the batch axis 1, got ${describeJson(shape)}`);
    return { input: check.string(stateJson.input, `${path}.input`), output: check.string(stateJson.output, `${path}.output`), shape };
  });
  const warmupFrames = check.positiveInteger(json.warmupFrames, 'streaming.warmupFrames');
  if (warmupFrames !== input.window) check.fail('streaming.warmupFrames', `must equal input.window (${input.window}), got ${warmupFrames}`);
  const receptiveField = check.positiveInteger(json.receptiveField, 'streaming.receptiveField');
  if (receptiveField > warmupFrames) check.fail('streaming.receptiveField', `(${receptiveField}) must not exceed streaming.warmupFrames (${warmupFrames})`);
  return {
    onnx,
    frame: { name: check.string(frameJson.name, 'streaming.frame.name'), shape: frameShape as StreamingSpec['frame']['shape'] },
    states,
    logits: check.string(json.logits, 'streaming.logits'),
    receptiveField,
    warmupFrames,
  };
}
