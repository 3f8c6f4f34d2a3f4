import type { PoseFrame } from '../../../src/skeleton';
import { poseFrameToCanonical, WindowAssembler, windowConfigForModel, type TrackedFrame } from '../../../src/window';
import { renderScript, standingPose, steps as s, type SceneOptions, type Step } from '../../../eval/synthetic';

/** Named scripts shared by the alert tests. Each starts with the person standing, so a standing reference exists. */
export const FALLS: Record<string, Array<Step | Step[]>> = {
  forward: [s.hold(3000), s.fallForward(), s.lie(9000)],
  backward: [s.hold(3000), s.fallBackward(), s.lie(9000)],
  sideways: [s.hold(3000), s.fallSideways(1), s.lie(9000)],
  collapse: [s.hold(3000), s.collapse(), s.lie(9000)],
};

export const NOT_FALLS: Record<string, Array<Step | Step[]>> = {
  standing: [s.hold(12000)],
  walking: [s.hold(2000), s.turn(90), s.walkTo(1.5, 3.5), s.turn(-90), s.walkTo(-1.5, 3.5), s.turn(180), s.walkTo(-1.5, 4.5)],
  nearFallWithRecovery: [s.hold(3000), s.nearFall(), s.hold(6000)],
  sitDownFast: [s.hold(3000), s.sitDown(600), s.hold(8000), s.standUp()],
  sitDownFastLowSofa: [s.hold(3000), s.sitDown(500, 0.38), s.hold(8000), s.standUp()],
  lieDownOnPurposeSlowly: [s.hold(3000), s.lieDownSlowly(), s.lie(8000), s.getUp()],
  bending: [s.hold(3000), s.bend(2500), s.hold(3000)],
};

export const render = (script: Array<Step | Step[]>, yaw = 0, scene: SceneOptions = {}) =>
  renderScript(standingPose(0, 3.5, yaw), script, { seed: 11, ...scene });

/** Pose frames through the pipeline's own tracker (WindowAssembler), as Monitoring receives them live. */
export function track(frames: PoseFrame[]): TrackedFrame[] {
  const assembler = new WindowAssembler(windowConfigForModel({ window: 64, stride: 8, fps: 30, persons: 1 }));
  return frames.map((frame) => assembler.push(poseFrameToCanonical(frame)).tracked);
}
