/**
 * Pose frames → tracked people → per-person sliding windows on the model's frame grid.
 *
 * Resampling: the camera's timestamps rarely match the model's `fps`. Samples are taken on a fixed grid
 * t0 + k/fps (t0 = the first frame). A grid tick between two frames that both contain the person is linearly
 * interpolated (coordinates and visibility) when the frames are at most `maxGapMs` apart; otherwise the tick takes
 * the nearer frame's pose if it is within half a grid step, else the person is missing at that tick
 * (visibility 0, gap-filled later per docs/skeleton.md). A camera faster than `fps` therefore skips frames, a slower
 * one gets interpolated ticks. A jump longer than a whole window restarts the grid and empties the buffers.
 *
 * Emission: every person's buffer holds the last `window` ticks. On ticks that are multiples of `stride`, each
 * person with a full buffer gets a window — all people on the same tick, so a busy model stage that skips windows
 * does not starve one person. A window with fewer than `minPresence` of its ticks showing the person is not
 * classified (counted in stats.sparseWindows). When one frame completes several emission ticks (a stalled camera),
 * only the newest window per person is returned.
 */
import { getLayout } from '../skeleton/layout';
import { createRawWindow, rawIndex } from '../skeleton/normalise';
import type { Landmark } from '../skeleton/types';
import type { CanonicalFrame, SkeletonWindow, TrackedFrame, TrackedPerson } from './frames';
import { PoseFilter } from './one-euro';
import { RingBuffer } from './ring-buffer';
import { PersonTracker, type Point } from './tracker';
import type { WindowConfig } from './window-config';

export interface WindowStats {
  frames: number;
  /** Frames ignored because their timestamp did not increase. */
  outOfOrderFrames: number;
  /** Detections ignored because maxPeople were already tracked. */
  untrackedDetections: number;
  windows: number;
  sparseWindows: number;
  /** Grid restarts after a jump in time longer than a window. */
  restarts: number;
}

type Sample = Float64Array | null;

interface TrackState {
  buffer: RingBuffer<Sample>;
  filter: PoseFilter | null;
}

export interface AssemblerOutput {
  tracked: TrackedFrame;
  windows: SkeletonWindow[];
}

const TIME_EPSILON_MS = 1e-6;

export class WindowAssembler {
  readonly stats: WindowStats = { frames: 0, outOfOrderFrames: 0, untrackedDetections: 0, windows: 0, sparseWindows: 0, restarts: 0 };
  private readonly tracker: PersonTracker;
  private readonly tracks = new Map<number, TrackState>();
  private readonly joints: number;
  private readonly torsoBottom: readonly number[];
  private readonly stepMs: number;
  private gridStart: number | null = null;
  private nextTick = 0;
  private previous: { t: number; samples: Map<number, Float64Array> } | null = null;

  constructor(readonly config: WindowConfig) {
    for (const key of ['window', 'stride', 'persons'] as const) {
      if (!Number.isInteger(config[key]) || config[key] <= 0) throw new Error(`window config: ${key} must be a positive integer, got ${config[key]}`);
    }
    if (!(config.fps > 0)) throw new Error(`window config: fps must be positive, got ${config.fps}`);
    if (!(config.minPresence >= 0 && config.minPresence <= 1)) throw new Error(`window config: minPresence must be in [0, 1], got ${config.minPresence}`);
    const layout = getLayout(config.layout);
    this.joints = layout.joints.length;
    this.torsoBottom = layout.torsoBottom;
    this.stepMs = 1000 / config.fps;
    this.tracker = new PersonTracker(config.tracker);
  }

  push(frame: CanonicalFrame): AssemblerOutput {
    if (this.previous && !(frame.t > this.previous.t)) {
      this.stats.outOfOrderFrames++;
      return { tracked: { t: frame.t, people: [], activeIds: this.tracker.activeIds }, windows: [] };
    }
    this.stats.frames++;
    for (const [index, pose] of frame.people.entries()) {
      if (pose.length !== this.joints) throw new Error(`frame at t=${frame.t} ms: person ${index} has ${pose.length} joints, layout ${this.config.layout} has ${this.joints}`);
    }
    if (this.previous && frame.t - this.previous.t > this.config.window * this.stepMs) this.restart();
    this.gridStart ??= frame.t;

    const ids = this.tracker.update(frame.people.map((pose) => this.hipCentre(pose)), frame.t);
    const active = new Set(this.tracker.activeIds);
    for (const id of this.tracks.keys()) if (!active.has(id)) this.tracks.delete(id);

    const tracked: TrackedPerson[] = [];
    const current = new Map<number, Float64Array>();
    frame.people.forEach((pose, index) => {
      const id = ids[index];
      if (id === null || id === undefined) {
        this.stats.untrackedDetections++;
        return;
      }
      let state = this.tracks.get(id);
      if (!state) {
        state = { buffer: new RingBuffer<Sample>(this.config.window), filter: this.config.oneEuro && new PoseFilter(this.joints, this.config.oneEuro) };
        this.tracks.set(id, state);
      }
      const flat = Float64Array.from(pose.flat());
      const sample = state.filter ? state.filter.filter(flat, frame.t) : flat;
      current.set(id, sample);
      tracked.push({ id, index, canonical: unflatten(sample) });
    });

    const emitted = new Map<number, SkeletonWindow>();
    for (let tick = this.tickTime(this.nextTick); tick <= frame.t + TIME_EPSILON_MS; tick = this.tickTime(++this.nextTick)) {
      for (const [id, state] of this.tracks) state.buffer.push(this.sampleAt(tick, id, frame.t, current.get(id)));
      if (this.nextTick % this.config.stride !== 0) continue;
      for (const [id, state] of this.tracks) {
        if (!state.buffer.full) continue;
        const window = this.buildWindow(id, frame.t, tick);
        if (window) emitted.set(id, window);
      }
    }
    this.previous = { t: frame.t, samples: current };
    this.stats.windows += emitted.size;
    return { tracked: { t: frame.t, people: tracked, activeIds: [...active] }, windows: [...emitted.values()] };
  }

  /** Forgets all people and the time grid (e.g. when the source changes). */
  reset(): void {
    this.restart();
    this.tracker.reset();
    this.tracks.clear();
  }

  private restart(): void {
    if (this.previous) this.stats.restarts++;
    for (const state of this.tracks.values()) state.buffer.clear();
    this.gridStart = null;
    this.nextTick = 0;
    this.previous = null;
  }

  private tickTime(tick: number): number {
    return this.gridStart! + tick * this.stepMs;
  }

  private hipCentre(pose: readonly Landmark[]): Point {
    let x = 0;
    let y = 0;
    for (const joint of this.torsoBottom) {
      x += pose[joint]![0] / this.torsoBottom.length;
      y += pose[joint]![1] / this.torsoBottom.length;
    }
    return [x, y];
  }

  private sampleAt(tick: number, id: number, frameT: number, current: Float64Array | undefined): Sample {
    const before = this.previous?.samples.get(id);
    const beforeT = this.previous?.t ?? -Infinity;
    if (current && before && frameT - beforeT <= this.config.maxGapMs) {
      const weight = (tick - beforeT) / (frameT - beforeT);
      return before.map((value, i) => value + weight * (current[i]! - value));
    }
    const halfStep = this.stepMs / 2 + TIME_EPSILON_MS;
    if (current && frameT - tick <= halfStep) return current;
    if (before && tick - beforeT <= halfStep) return before;
    return null;
  }

  private buildWindow(id: number, frameT: number, tick: number): SkeletonWindow | null {
    const { window, persons, layout } = this.config;
    const own = this.tracks.get(id)!.buffer.toArray();
    const presence = own.filter((sample) => sample !== null).length / window;
    if (presence < this.config.minPresence) {
      this.stats.sparseWindows++;
      return null;
    }
    const others = [...this.tracks.keys()].filter((other) => other !== id).sort((a, b) => a - b).slice(0, persons - 1);
    const slots = [own, ...others.map((other) => this.tracks.get(other)!.buffer.toArray())];
    const raw = createRawWindow(layout, window, persons);
    slots.forEach((samples, slot) => {
      const offset = window - samples.length; // a person tracked for less than a window is missing at the start
      samples.forEach((sample, i) => {
        if (!sample) return;
        for (let v = 0; v < this.joints; v++) {
          for (let c = 0; c < 4; c++) raw.data[rawIndex(raw, c, offset + i, v, slot)] = sample[v * 4 + c]!;
        }
      });
    });
    return { personId: id, t: frameT, tStart: tick - (window - 1) * this.stepMs, tEnd: tick, presence, raw };
  }
}

function unflatten(flat: Float64Array): Landmark[] {
  return Array.from({ length: flat.length / 4 }, (_, v) => [flat[v * 4]!, flat[v * 4 + 1]!, flat[v * 4 + 2]!, flat[v * 4 + 3]!]);
}
