/**
 * StreamingModel: the manifest's "streaming" ONNX (training/streaming.py) run one frame at a time per person, with
 * each person's layer states kept here between calls. It takes the same windows as ActionModel and feeds only the
 * frames it has not seen yet: the window's newest tick normally, all of it for a new person or after a gap (a
 * dropped window, a restarted grid). From the zero state, `warmupFrames` (= the window) frames make the logits equal
 * the windowed model's on that window, so a replayed window gives exactly what the windowed ONNX would.
 * One session.run feeds all the frames a person needs (the ONNX takes any number of frames per call), with every
 * person who needs as many in the same batch: normally everyone, one frame each.
 */
import * as ort from 'onnxruntime-web';
import { checkedOutput } from './output-check';
import { FrameNormaliser, rawFrame, writeFrameFeatures } from '../skeleton/frame-normalise';
import { getLayout, getMapping } from '../skeleton/layout';
import type { SkeletonWindow } from '../window/frames';
import { createCheckedSession, ModelLoadError, OneAtATime, type ExecutionBackend } from './checked-session';
import type { ModelManifest } from './manifest';
import { softmax, topLabels, type Prediction } from './prediction';
import { modelFeatureSpec } from './session';
import type { StreamingSpec } from './stream-manifest';

interface PersonStream {
  states: Float32Array[];
  normaliser: FrameNormaliser;
  /** Grid time of the last frame fed. */
  tEnd: number;
  /** Frames fed since the last one with a visible torso bottom (≥ window: nothing to classify). */
  sinceBottom: number;
  logits: Float32Array | null;
}

interface Plan {
  window: SkeletonWindow;
  person: PersonStream;
  /** Index in the window of the next frame to feed. */
  next: number;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export class StreamingModel {
  private readonly people = new Map<number, PersonStream>();
  private readonly queue = new OneAtATime();
  private readonly spec: StreamingSpec;
  private readonly frameSize: number;
  private readonly stateSizes: number[];
  private readonly featureSpec: ReturnType<typeof modelFeatureSpec>;

  private constructor(
    readonly manifest: ModelManifest,
    readonly backend: ExecutionBackend,
    private readonly session: ort.InferenceSession,
  ) {
    this.spec = manifest.streaming!;
    this.frameSize = size(this.spec.frame.shape);
    this.stateSizes = this.spec.states.map((state) => size(state.shape));
    this.featureSpec = modelFeatureSpec(manifest);
  }

  static async load(
    manifest: ModelManifest,
    onnxBytes: Uint8Array<ArrayBuffer>,
    options: { backend?: ExecutionBackend; source?: string } = {},
  ): Promise<StreamingModel> {
    const spec = manifest.streaming;
    if (!spec) throw new ModelLoadError(`model "${manifest.name}" has no streaming section in its manifest`);
    const backend = options.backend ?? 'wasm';
    const session = await createCheckedSession(onnxBytes, spec.onnx.sha256, backend, options.source ?? spec.onnx.file, [
      { role: 'streaming frame input', kind: 'input', name: spec.frame.name, shape: spec.frame.shape },
      { role: 'streaming logits output', kind: 'output', name: spec.logits, shape: [1, manifest.labels.length] },
      ...spec.states.flatMap((state) => [
        { role: 'streaming state input', kind: 'input' as const, name: state.input, shape: state.shape },
        { role: 'streaming state output', kind: 'output' as const, name: state.output, shape: state.shape },
      ]),
    ]);
    return new StreamingModel(manifest, backend, session);
  }

  /** People whose state is kept (for tests and the debug view). */
  get trackedPeople(): number[] {
    return [...this.people.keys()];
  }

  /** One prediction per window (null: no visible torso bottom in the window), feeding each person only new frames. */
  classifyAll(windows: readonly SkeletonWindow[]): Promise<(Prediction | null)[]> {
    return this.queue.run(() => this.feed(windows));
  }

  private async feed(windows: readonly SkeletonWindow[]): Promise<(Prediction | null)[]> {
    const { window, fps, persons } = this.manifest.input;
    const stepMs = 1000 / fps;
    const plans = windows.map((skeletonWindow): Plan => {
      if (skeletonWindow.raw.frames !== window || skeletonWindow.raw.persons !== persons) {
        throw new Error(`model "${this.manifest.name}" takes windows of ${window} frames × ${persons} persons, got ${skeletonWindow.raw.frames} × ${skeletonWindow.raw.persons}`);
      }
      const known = this.people.get(skeletonWindow.personId);
      const fresh = Math.round((skeletonWindow.tEnd - (known?.tEnd ?? -Infinity)) / stepMs);
      if (known && fresh >= 0 && fresh < window) return { window: skeletonWindow, person: known, next: window - fresh };
      const person: PersonStream = {
        states: this.stateSizes.map((length) => new Float32Array(length)),
        normaliser: new FrameNormaliser(this.featureSpec),
        tEnd: skeletonWindow.tEnd,
        sinceBottom: window,
        logits: null,
      };
      this.people.set(skeletonWindow.personId, person);
      return { window: skeletonWindow, person, next: 0 };
    });
    const started = performance.now();
    // A model of the first format (frame (N, C, V)) takes one frame per call: rounds until everyone is fed.
    const oneFrame = this.spec.frame.shape.length === 3;
    for (let pending = plans.filter((plan) => plan.next < window); pending.length > 0; pending = pending.filter((plan) => plan.next < window)) {
      const byCount = new Map<number, Plan[]>();
      for (const plan of pending) byCount.set(window - plan.next, [...(byCount.get(window - plan.next) ?? []), plan]);
      for (const [count, group] of byCount) await this.step(group, oneFrame ? 1 : count);
    }
    const modelMs = performance.now() - started;
    this.forgetOthers(windows, window * stepMs);
    return plans.map(({ window: skeletonWindow, person }) => {
      person.tEnd = skeletonWindow.tEnd;
      if (!person.logits || person.sinceBottom >= window) return null;
      const probabilities = softmax(person.logits);
      return {
        t: skeletonWindow.t,
        personId: skeletonWindow.personId,
        probabilities,
        top: topLabels(probabilities, this.manifest.labels),
        modelMs,
        untrained: !this.manifest.trained,
      };
    });
  }

  async classify(window: SkeletonWindow): Promise<Prediction | null> {
    return (await this.classifyAll([window]))[0]!;
  }

  /** ms of one frame for one person from the zero state (start-up timing); leaves every person's state alone. */
  timeRun(): Promise<number> {
    return this.queue.run(() => this.timeFrame());
  }

  private async timeFrame(): Promise<number> {
    const started = performance.now();
    const results = await this.session.run(this.feeds(1, 1, new Float32Array(this.frameSize), this.stateSizes.map((length) => new Float32Array(length))));
    const ms = performance.now() - started;
    for (const value of Object.values(results)) value.dispose();
    return ms;
  }

  async release(): Promise<void> {
    this.people.clear();
    await this.session.release();
  }

  /** Feeds every planned person its next `count` frames, in one batched run. */
  private async step(plans: Plan[], count: number): Promise<void> {
    const { spec, featureSpec, frameSize } = this;
    const joints = getLayout(featureSpec.layout).joints.length;
    const mapping = getMapping(plans[0]!.window.raw.layout, featureSpec.layout);
    const frames = new Float32Array(plans.length * count * frameSize);
    const states = this.stateSizes.map((length) => new Float32Array(plans.length * length));
    const frameIn = new Float64Array(plans[0]!.window.raw.joints * 4);
    const converted = new Float64Array(joints * 4);
    plans.forEach(({ window, person, next }, row) => {
      for (let f = 0; f < count; f++) {
        const { xyz, ownBottom } = person.normaliser.push(rawFrame(window.raw, mapping, next + f, 0, frameIn, converted));
        person.sinceBottom = ownBottom ? 0 : person.sinceBottom + 1;
        // (N, C, F, V) row-major
        writeFrameFeatures(xyz, featureSpec, (c, v, value) => (frames[((row * (frameSize / joints) + c) * count + f) * joints + v] = value));
      }
      person.states.forEach((state, s) => states[s]!.set(state, row * state.length));
    });
    const results = await this.session.run(this.feeds(plans.length, count, frames, states));
    try {
      const labels = this.manifest.labels.length;
      // A corrupt model must fail here, not pass NaN on in its logits or carry it forward in its state.
      const logits = checkedOutput(this.manifest.name, spec.logits, [plans.length, labels], results[spec.logits]);
      const stateOutputs = spec.states.map((state, s) =>
        checkedOutput(this.manifest.name, state.output, batchedShape(plans.length, state.shape), results[state.output]));
      plans.forEach((plan, row) => {
        plan.person.logits = logits.slice(row * labels, (row + 1) * labels);
        stateOutputs.forEach((values, s) => {
          const length = this.stateSizes[s]!;
          plan.person.states[s] = values.slice(row * length, (row + 1) * length);
        });
        plan.next += count;
      });
    } finally {
      for (const value of Object.values(results)) value.dispose();
    }
  }

  private feeds(rows: number, count: number, frames: Float32Array, states: Float32Array[]): Record<string, ort.Tensor> {
    const { spec } = this;
    const batched = (shape: readonly number[]) => batchedShape(rows, shape);
    const channels = spec.frame.shape[1];
    const joints = spec.frame.shape.at(-1)!;
    const dims = spec.frame.shape.length === 3 ? [rows, channels, joints] : [rows, channels, count, joints];
    const feeds: Record<string, ort.Tensor> = { [spec.frame.name]: new ort.Tensor('float32', frames, dims) };
    spec.states.forEach((state, s) => (feeds[state.input] = new ort.Tensor('float32', states[s]!, batched(state.shape))));
    return feeds;
  }

  /** Drops the state of people absent from this call for longer than a window: they would restart from zero anyway. */
  private forgetOthers(windows: readonly SkeletonWindow[], windowMs: number): void {
    const newest = Math.max(...windows.map((window) => window.tEnd));
    const present = new Set(windows.map((window) => window.personId));
    for (const [id, person] of this.people) if (!present.has(id) && person.tEnd < newest - windowMs) this.people.delete(id);
  }
}

/** A per-frame tensor's shape with its batch dimension set to the number of people in the call. */
function batchedShape(rows: number, shape: readonly number[]): number[] {
  return [rows, ...shape.slice(1)];
}
