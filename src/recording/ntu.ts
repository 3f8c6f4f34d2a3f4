/**
 * Reader for NTU RGB+D `.skeleton` files (Kinect v2 text export): frame count; per frame a body count; per body a
 * line of 10 values (bodyID, clippedEdges, hand states, isRestricted, leanX, leanY, trackingState), the joint
 * count (25) and one line of 12 values per joint: x y z depthX depthY colorX colorY orientationW X Y Z
 * trackingState. Camera space is metres, x right, y up, z away from the camera.
 */
import { getLayout } from '../skeleton/layout';
import type { Landmark } from '../skeleton/types';

export const NTU_FPS = 30;
const NTU_JOINTS = getLayout('ntu25').joints.length;
const BODY_INFO_VALUES = 10;
const JOINT_VALUES = 12;
/** Kinect tracking state → visibility: tracked 1, inferred 0.5 (visible at the usual minVisibility 0.5, as in NTU training), not tracked 0. */
const VISIBILITY_BY_TRACKING_STATE: Readonly<Record<number, number>> = { 2: 1, 1: 0.5, 0: 0 };

export interface NtuBody {
  /** Kinect body tracking id (a 64-bit number, kept as text). */
  bodyId: string;
  /** ntu25 joints in canonical coordinates: x right, y up, z towards the camera (metres). */
  joints: Landmark[];
  /** Kinect colour-image pixel coordinates (1920x1080), for drawing. */
  color: [number, number][];
}

export interface NtuFrame {
  t: number;
  bodies: NtuBody[];
}

export class NtuFormatError extends Error {
  override name = 'NtuFormatError';
}

export function parseNtuSkeleton(text: string, source = 'NTU skeleton file'): NtuFrame[] {
  const lines = text.split('\n');
  let index = 0;
  const fail = (message: string): never => {
    throw new NtuFormatError(`${source}:${index}: ${message}`);
  };
  const numbers = (expected: number, what: string): number[] => {
    if (index >= lines.length || (index === lines.length - 1 && lines[index]!.trim() === '')) fail(`file ends where ${what} was expected`);
    const values = lines[index++]!.trim().split(/\s+/).map(Number);
    if (values.length !== expected || values.some((value) => !Number.isFinite(value))) {
      fail(`expected ${what} (${expected} number${expected === 1 ? '' : 's'}), got "${lines[index - 1]!.trim().slice(0, 80)}"`);
    }
    return values;
  };
  const count = (what: string): number => {
    const [value] = numbers(1, what);
    if (!Number.isInteger(value) || value! < 0) fail(`${what} must be a non-negative integer, got ${value}`);
    return value!;
  };

  const frameCount = count('the frame count');
  const frames: NtuFrame[] = [];
  for (let frame = 0; frame < frameCount; frame++) {
    const bodies: NtuBody[] = [];
    const bodyCount = count(`the body count of frame ${frame + 1}`);
    for (let body = 0; body < bodyCount; body++) {
      const bodyId = lines[index]?.trim().split(/\s+/)[0] ?? '';
      numbers(BODY_INFO_VALUES, `the body info line of frame ${frame + 1}`);
      const jointCount = count('the joint count');
      if (jointCount !== NTU_JOINTS) fail(`expected ${NTU_JOINTS} joints per body, got ${jointCount}`);
      const joints: Landmark[] = [];
      const color: [number, number][] = [];
      for (let joint = 0; joint < jointCount; joint++) {
        const [x, y, z, , , colorX, colorY, , , , , state] = numbers(JOINT_VALUES, `joint ${joint + 1} of a body in frame ${frame + 1}`) as [number, number, number, number, number, number, number, number, number, number, number, number];
        joints.push([x, y, -z, VISIBILITY_BY_TRACKING_STATE[state] ?? 0]);
        color.push([colorX, colorY]);
      }
      bodies.push({ bodyId, joints, color });
    }
    frames.push({ t: (frame * 1000) / NTU_FPS, bodies });
  }
  while (index < lines.length && lines[index]!.trim() === '') index++;
  if (index < lines.length) {
    index++; // report the 1-based number of the extra line
    fail(`unexpected data after the ${frameCount} frames the header announced`);
  }
  return frames;
}
