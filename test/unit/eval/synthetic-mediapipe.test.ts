import { describe, expect, it } from 'vitest';
import behaviour from '../../../src/skeleton/mediapipe-behaviour.json';
import { getLayout, type PoseFrame } from '../../../src/skeleton';
import { renderScript, standingPose, steps } from '../../../eval/synthetic';

const layout = getLayout('blazepose33');
const joints = (part: keyof typeof behaviour.parts) => behaviour.parts[part].map((name) => layout.joints.indexOf(name));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Standing still for `minutes` at 30 fps, 3 m from the camera, with MediaPipe's imperfections. */
const still = (minutes: number, seed = 5): PoseFrame[] =>
  renderScript(standingPose(0, 3, 20), [steps.hold(minutes * 60_000)], { mediapipe: true, seed, cameraTilt: 5 });

/** |p[t] − (p[t−1] + p[t+1]) / 2| in torso lengths for visible landmarks of a part, over consecutive detected frames. */
function jitter(frames: PoseFrame[], part: keyof typeof behaviour.parts): number[] {
  const out: number[] = [];
  for (let t = 1; t + 1 < frames.length; t += 1) {
    const trio = [frames[t - 1]!, frames[t]!, frames[t + 1]!].map((frame) => frame.people[0]?.landmarks);
    if (trio.some((landmarks) => !landmarks)) continue;
    const [a, b, c] = trio as NonNullable<(typeof trio)[number]>[];
    const px = (l: number[], axis: 0 | 1) => l[axis]! * (axis === 0 ? 640 : 480);
    const torso = Math.hypot(
      (px(b![11]!, 0) + px(b![12]!, 0) - px(b![23]!, 0) - px(b![24]!, 0)) / 2,
      (px(b![11]!, 1) + px(b![12]!, 1) - px(b![23]!, 1) - px(b![24]!, 1)) / 2);
    for (const j of joints(part)) {
      if (Math.min(a![j]![3], b![j]![3], c![j]![3]) < 0.5) continue;
      out.push(Math.hypot(px(b![j]!, 0) - (px(a![j]!, 0) + px(c![j]!, 0)) / 2, px(b![j]!, 1) - (px(a![j]!, 1) + px(c![j]!, 1)) / 2) / torso);
    }
  }
  return out;
}

describe("MediaPipe's imperfections in the TypeScript synthesiser", () => {
  const frames = still(3);

  it('is reproducible from its seed and differs from the clean rendering', () => {
    expect(still(0.05, 9)).toEqual(still(0.05, 9));
    expect(still(0.05, 9)).not.toEqual(still(0.05, 10));
    const clean = renderScript(standingPose(0, 3, 20), [steps.hold(3000)], { seed: 9 });
    expect(clean.every((frame) => frame.people.length === 1)).toBe(true);
  });

  it('jitters knees and feet far more than the face, in the measured ratio', () => {
    const face = median(jitter(frames, 'face'));
    const sd = behaviour.noise.sd;
    for (const part of ['knees', 'feet'] as const) {
      expect(median(jitter(frames, part)) / face).toBeGreaterThan(0.7 * (sd[part] / sd.face));
      expect(median(jitter(frames, part)) / face).toBeLessThan(1.3 * (sd[part] / sd.face));
    }
  });

  it('reports the face always confident and the elbows below 0.5 about as often as measured', () => {
    const detected = frames.filter((frame) => frame.people.length);
    const share = (part: keyof typeof behaviour.parts) => {
      const values = detected.flatMap((frame) => joints(part).map((j) => frame.people[0]!.landmarks[j]![3]));
      return values.filter((v) => v < 0.5).length / values.length;
    };
    expect(share('face')).toBe(0);
    const quantiles = behaviour.visibility.quantiles.upright.elbows;
    const modelShare = (quantiles.findIndex((value) => value >= 0.5) - 0.5) / (quantiles.length - 1);
    expect(Math.abs(share('elbows') - modelShare)).toBeLessThan(0.15);
  });

  it('drops frames in short runs and turns the skeleton upside down now and then', () => {
    const missing = frames.filter((frame) => !frame.people.length).length / frames.length;
    expect(missing).toBeGreaterThan(0.005);
    expect(missing).toBeLessThan(0.2);
    const upsideDown = frames.filter((frame) => {
      const landmarks = frame.people[0]?.landmarks;
      return landmarks && landmarks[0]![1] > landmarks[27]![1]; // nose below the ankle
    }).length;
    const expected = behaviour.flips.perMinute.upright * 3 * median(behaviour.flips.frames);
    expect(upsideDown).toBeGreaterThan(0.3 * expected);
    expect(upsideDown).toBeLessThan(3 * expected);
  });

  it('keeps landmarks beyond the image edge, mostly visible, as MediaPipe does', () => {
    const edge = renderScript(standingPose(0, 1.6, 0), [steps.hold(10_000)], { mediapipe: true, seed: 3, cameraHeight: 1.3, cameraTilt: 0 });
    const outside = edge.flatMap((frame) => frame.people[0]?.landmarks ?? []).filter(([, y]) => y > 1 && y < 1.15);
    expect(outside.length).toBeGreaterThan(50);
    expect(outside.filter(([, , , v]) => v >= 0.5).length / outside.length).toBeGreaterThan(0.6);
  });

  it('gives world landmarks in camera axes: the tilted camera sees the upright torso tilted in world y', () => {
    const [frame] = renderScript(standingPose(0, 3, 0), [steps.hold(0)], { cameraTilt: 20, noisePx: 0 });
    const world = frame!.people[0]!.world;
    const torso = [0, 1, 2].map((axis) => (world[11]![axis]! + world[12]![axis]! - world[23]![axis]! - world[24]![axis]!) / 2);
    const tilt = (Math.acos(-torso[1]! / Math.hypot(...torso)) * 180) / Math.PI;
    expect(tilt).toBeGreaterThan(17);
    expect(tilt).toBeLessThan(23);
  });
});
