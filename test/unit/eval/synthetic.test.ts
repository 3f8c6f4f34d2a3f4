import { describe, expect, it } from 'vitest';
import { getLayout, toCanonical } from '../../../src/skeleton';
import { renderScript, standingPose, steps } from '../../../eval/synthetic';

const layout = getLayout('blazepose33');
const index = (name: string) => layout.joints.indexOf(name);

describe('synthetic skeleton animator', () => {
  it('renders a standing person facing the camera with anatomical left on image right, inside the frame', () => {
    const [frame] = renderScript(standingPose(), [steps.hold(100)], { noisePx: 0 });
    const landmarks = frame!.people[0]!.landmarks;
    expect(landmarks).toHaveLength(33);
    for (const [x, y, , visibility] of landmarks) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(1);
      expect(visibility).toBeGreaterThan(0.9);
    }
    expect(landmarks[index('left_shoulder')]![0]).toBeGreaterThan(landmarks[index('right_shoulder')]![0]);
    // Image y grows downwards: head above hips above ankles.
    expect(landmarks[index('nose')]![1]).toBeLessThan(landmarks[index('left_hip')]![1]);
    expect(landmarks[index('left_hip')]![1]).toBeLessThan(landmarks[index('left_ankle')]![1]);
  });

  it('samples at the requested rate and is reproducible from its seed', () => {
    const script = [steps.hold(1000)];
    const a = renderScript(standingPose(), script, { fps: 15, seed: 3 });
    const b = renderScript(standingPose(), script, { fps: 15, seed: 3 });
    const c = renderScript(standingPose(), script, { fps: 15, seed: 4 });
    expect(a.map((frame) => frame.t)).toEqual([0, 67, 133, 200, 267, 333, 400, 467, 533, 600, 667, 733, 800, 867, 933, 1000]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('a sideways fall ends with the torso horizontal and the hips near the floor', () => {
    const frames = renderScript(standingPose(0, 3.5, 0), [steps.hold(500), steps.fallSideways(1), steps.hold(500)], { noisePx: 0 });
    const first = toCanonical(frames[0]!.people[0]!.landmarks, 640, 480);
    const last = toCanonical(frames.at(-1)!.people[0]!.landmarks, 640, 480);
    const hipY = (joints: typeof first) => (joints[index('left_hip')]![1] + joints[index('right_hip')]![1]) / 2;
    const ankleY = (joints: typeof first) => (joints[index('left_ankle')]![1] + joints[index('right_ankle')]![1]) / 2;
    const shoulders = (joints: typeof first) => joints[index('left_shoulder')]!;
    expect(hipY(first) - ankleY(first)).toBeGreaterThan(0.15);
    expect(Math.abs(hipY(last) - ankleY(first))).toBeLessThan(0.06);
    const dx = Math.abs(shoulders(last)[0] - last[index('left_hip')]![0]);
    const dy = Math.abs(shoulders(last)[1] - last[index('left_hip')]![1]);
    expect(dx).toBeGreaterThan(3 * dy);
  });

  it('leaves people empty while the person is absent', () => {
    const frames = renderScript(standingPose(), [steps.hold(200), steps.absent(200)], { fps: 10 });
    expect(frames.map((frame) => frame.people.length)).toEqual([1, 1, 1, 0, 0]);
  });
});
