import { describe, expect, it } from 'vitest';
import { toCanonical, type PoseFrame } from '../../../src/skeleton';
import { renderScript, standingPose, steps as s, type BodyPose, type Step } from '../../../eval/synthetic';
import { generateFallSet } from '../../../eval/synthetic-set';

const clean = { noisePx: 0 };
const canonical = (frame: PoseFrame) => toCanonical(frame.people[0]!.landmarks, frame.width, frame.height);
const mean = (joints: number[][], indices: number[], axis: number) => indices.reduce((sum, j) => sum + joints[j]![axis]!, 0) / indices.length;
/** Torso angle from vertical in the image, degrees. */
const torsoAngle = (frame: PoseFrame) => {
  const joints = canonical(frame);
  const dx = mean(joints, [11, 12], 0) - mean(joints, [23, 24], 0);
  const dy = mean(joints, [11, 12], 1) - mean(joints, [23, 24], 1);
  return (Math.atan2(Math.abs(dx), dy) * 180) / Math.PI;
};
/** The pose a script ends in. */
const finalPose = (start: BodyPose, script: Array<Step | Step[]>) => script.flat().reduce((pose, step) => step(pose).to, start);

describe('synthetic scenarios', () => {
  it('lies down on a bed from its edge in the given time, with the hips at mattress height, and gets up again', () => {
    const bed = 0.55;
    const down: Array<Step | Step[]> = [s.sitDown(800, bed), s.lieOnBed(1500, 1)];
    const script = [...down, s.lie(2000), s.sitUpOnBed(2000, 1), s.standUp(2000)];
    const frames = renderScript(standingPose(0, 3.2, 0), script, { ...clean, cameraTilt: 0, fps: 10 });
    expect(torsoAngle(frames[Math.round((0.8 + 0.3 + 1.5 + 1) * 10)]!)).toBeGreaterThan(70);
    expect(finalPose(standingPose(), down).hipY).toBeCloseTo(bed + 0.12, 2);
    expect(torsoAngle(frames.at(-1)!)).toBeLessThan(10);
  });

  it('falls from a chair to the floor, rolls out of bed onto the floor, and picks things up with the torso past horizontal', () => {
    const fromChair = [s.sitDown(800, 0.45), s.hold(500), s.fallFromSitting('left'), s.hold(500)];
    expect(torsoAngle(renderScript(standingPose(0, 3.2, 0), fromChair, clean).at(-1)!)).toBeGreaterThan(60);
    expect(finalPose(standingPose(), fromChair).hipY).toBeLessThan(0.2);
    const ontoBed = [s.sitDown(800, 0.55), s.hold(500), s.fallFromSitting('right', 1, 0.55)];
    expect(finalPose(standingPose(), ontoBed).hipY).toBeCloseTo(0.55 + 0.14, 2);
    const outOfBed = [s.sitDown(800, 0.55), s.lieOnBed(1200, 1), s.lie(1000), ...s.rollOffBed(-1)];
    const inBed = finalPose(standingPose(), outOfBed.slice(0, 3));
    const onFloor = finalPose(standingPose(), outOfBed);
    expect(inBed.hipY).toBeGreaterThan(0.55);
    expect(onFloor.hipY).toBeLessThan(0.2);
    expect(torsoAngle(renderScript(standingPose(0, 3.2, 0), outOfBed, clean).at(-1)!)).toBeGreaterThan(60);
    const pick = renderScript(standingPose(0, 3.2, 90), [s.pickUp(105, 1500)], { ...clean, fps: 10 });
    expect(Math.max(...pick.map(torsoAngle))).toBeGreaterThan(95);
  });

  it('picking something up from a chair folds the torso over the thighs, which stay on the seat', () => {
    const script = [s.sitDown(800, 0.45), s.hold(300), s.pickUpFromChair(95, 1000)];
    const frames = renderScript(standingPose(0, 3.2, 90), script, { ...clean, cameraTilt: 0, fps: 10 });
    const deepest = frames[Math.round((0.8 + 0.3 + 0.3 + 0.9 + 0.5) * 10)]!;
    const joints = canonical(deepest);
    const vector = (from: number[], to: number[]) => [mean(joints, to, 0) - mean(joints, from, 0), mean(joints, to, 1) - mean(joints, from, 1)];
    const [torso, thigh] = [vector([23, 24], [11, 12]), vector([23, 24], [25, 26])];
    const hipAngle = (Math.acos((torso[0]! * thigh[0]! + torso[1]! * thigh[1]!) / (Math.hypot(torso[0]!, torso[1]!) * Math.hypot(thigh[0]!, thigh[1]!))) * 180) / Math.PI;
    expect(torsoAngle(deepest)).toBeGreaterThan(70);
    expect(hipAngle).toBeLessThan(50);
    // Within about 40° of level (the hip stops folding at 150°), not swung down with the torso.
    expect(Math.abs(thigh[1]!)).toBeLessThan(0.65 * Math.hypot(thigh[0]!, thigh[1]!));
  });

  it('skipMs starts the recording part-way through the script', () => {
    const whole = renderScript(standingPose(), [s.hold(1000), ...s.fallForward()], { ...clean, fps: 10 });
    const late = renderScript(standingPose(), [s.hold(1000), ...s.fallForward()], { ...clean, fps: 10, skipMs: 1000 });
    expect(late[0]!.t).toBe(0);
    expect(late.length).toBe(whole.length - 10);
    expect(late[0]!.people).toEqual(whole[10]!.people);
  });
});

describe('the synthetic fall evaluation set', () => {
  const set = generateFallSet({ falls: 60, adl: 6, adlMs: 60_000, seed: 4 });

  it('is reproducible from its seed', () => {
    const again = generateFallSet({ falls: 3, adl: 1, adlMs: 20_000, seed: 4 });
    expect(again).toEqual(generateFallSet({ falls: 3, adl: 1, adlMs: 20_000, seed: 4 }));
  });

  it('holds the new kinds of fall, partial views and recordings that start mid-fall', () => {
    const names = set.filter((clip) => clip.label.fall).map((clip) => clip.name);
    for (const kind of ['fromChair', 'fromBedEdge', 'fromBedEdgeOntoBed', 'ontoBed', 'outOfBed', 'slowCollapse', 'towardsCamera', 'awayFromCamera', 'enteringView']) {
      expect(names.some((name) => name.includes(`-${kind}`))).toBe(true);
    }
    const midway = set.filter((clip) => clip.name.includes('-midway'));
    expect(midway.length).toBeGreaterThan(0);
    for (const clip of midway) expect(clip.label.fallAtMs).toBe(0);
    const partial = set.filter((clip) => clip.name.endsWith('-partial'));
    expect(partial.length).toBeGreaterThan(5);
    const outOfView = (clip: (typeof set)[number]) => clip.frames.some((frame) =>
      frame.people[0]?.landmarks.some(([x, y]) => x < 0 || x > 1 || y < 0 || y > 1));
    expect(partial.every(outOfView)).toBe(true);
  });

  it('lets a walking-in person be unseen at first and fall within a few seconds of appearing', () => {
    for (const clip of set.filter((c) => c.name.includes('-enteringView') && !c.name.includes('-midway'))) {
      expect(clip.frames[0]!.people).toHaveLength(0);
      const firstSeen = clip.frames.find((frame) => frame.people.length)!.t;
      expect(clip.label.fallAtMs! - firstSeen).toBeLessThan(3500);
    }
  });
});
