/**
 * The model stage behind one interface: a windowed model (ActionModel, the whole window per call) or, when the
 * manifest has a "streaming" section, the streaming model (StreamingModel, one new frame per person per call).
 * Both take the assembler's windows, so the pipeline does not care which it runs.
 */
import type { SkeletonWindow } from '../window/frames';
import type { ExecutionBackend } from './checked-session';
import type { ModelManifest } from './manifest';
import type { Prediction } from './prediction';
import { ActionModel } from './session';
import { StreamingModel } from './stream-session';

export interface Classifier {
  readonly manifest: ModelManifest;
  readonly backend: ExecutionBackend;
  /** One prediction per window (null: the window cannot be classified), in order; all people in one call. */
  classifyAll(windows: readonly SkeletonWindow[]): Promise<(Prediction | null)[]>;
  classify(window: SkeletonWindow): Promise<Prediction | null>;
  /** ms of one run on zeros, for the start-up backend choice: a window (windowed) or one person's frame (streaming). */
  timeRun(): Promise<number>;
  release(): Promise<void>;
}

/** The ONNX file the app runs for this manifest: the streaming one when there is one. */
export function classifierFile(manifest: ModelManifest): string {
  return manifest.streaming?.onnx.file ?? manifest.onnx.file;
}

export async function loadClassifier(
  manifest: ModelManifest,
  onnxBytes: Uint8Array<ArrayBuffer>,
  options: { backend?: ExecutionBackend; source?: string } = {},
): Promise<Classifier> {
  return manifest.streaming ? StreamingModel.load(manifest, onnxBytes, options) : ActionModel.load(manifest, onnxBytes, options);
}
