import { describe, expect, it } from 'vitest';
import { measurePosture, type PostureSample } from '../../../src/monitoring/posture';
import { FallMotion } from '../../../src/monitoring/fall-signals';
import { resolveMonitoringConfig } from '../../../src/settings/config';
import { getLayout, type Landmark } from '../../../src/skeleton';

const joints = getLayout('blazepose33').joints;
const at = (name: string) => joints.indexOf(name);

/** A body from world positions (metres, y down, hips at the origin) of its shoulders, knees and ankles; the image
 * landmarks are the same points with y up, the rest of the joints unseen. */
function body(shoulders: [number, number], knees: [number, number], ankles: [number, number]) {
  const world: Landmark[] = joints.map(() => [0, 0, 0, 0]);
  const place = (side: string, part: string, [x, y]: [number, number]) => {
    world[at(`${side}_${part}`)] = [x, y, side === 'left' ? 0.1 : -0.1, 1];
  };
  for (const side of ['left', 'right']) {
    place(side, 'shoulder', shoulders);
    place(side, 'hip', [0, 0]);
    place(side, 'knee', knees);
    place(side, 'ankle', ankles);
  }
  const image = world.map(([x, y, z, visibility]): Landmark => [x, -y, z, visibility]);
  return { image, world };
}

const measure = ({ image, world }: ReturnType<typeof body>, withWorld = true) => measurePosture(0, image, withWorld ? world : null, 0.5);
const towards = (angleFromUp: number, length: number): [number, number] => [
  length * Math.sin((angleFromUp * Math.PI) / 180),
  -length * Math.cos((angleFromUp * Math.PI) / 180),
];

describe('posture of one frame', () => {
  it('measures standing and lying from world landmarks, and from the image when there are none', () => {
    const standing = body([0, -0.5], [0, 0.45], [0, 0.9]);
    const lying = body([-0.5, 0], [0.45, 0], [0.9, 0]);
    for (const withWorld of [true, false]) {
      expect(measure(standing, withWorld)).toMatchObject({ tilt: 0, legTilt: 0 });
      const flat = measure(lying, withWorld)!;
      expect(flat.tilt).toBeCloseTo(90);
      expect(flat.legTilt).toBeCloseTo(90);
      expect(flat.hipAngle).toBeCloseTo(180);
    }
  });

  it('ignores upside-down glitches: torso and legs both inverted, or the head straight under the hips', () => {
    const legsUp = body(towards(130, 0.5), towards(-50, 0.45), towards(-50, 0.9));
    const headDownLegsFlat = body(towards(170, 0.5), [-0.45, 0], [-0.9, 0]);
    for (const withWorld of [true, false]) {
      expect(measure(legsUp, withWorld)).toBeNull();
      expect(measure(headDownLegsFlat, withWorld)).toBeNull();
    }
  });

  it('keeps a body lying with the head lower than the hips (slid off a bed): that is how some falls end', () => {
    const headLow = measure(body(towards(135, 0.5), [-0.45, 0], [-0.9, 0]))!;
    expect(headLow.tilt).toBeCloseTo(135);
    expect(headLow.legTilt).toBeCloseTo(90);
  });
});

describe('FallMotion.lying', () => {
  const motion = new FallMotion(resolveMonitoringConfig().fall);
  const sample = (tilt: number, legTilt: number | null, hipAngle: number | null): PostureSample => ({
    t: 0, tilt, legTilt, hipAngle, scale: null, shoulderY: 0, hipY: 0, trunk: { x: 0, y: 0 },
  });

  it('does not call a body folded over legs under it lying (kneeling or sitting bent forward)', () => {
    expect(motion.lying(sample(90, 40, 60))).toBe(0);
    expect(motion.lying(sample(90, null, 60))).toBe(0);
  });

  it('calls a body folded at the hips with the legs out along the floor lying (mid backward fall)', () => {
    expect(motion.lying(sample(90, 90, 80))).toBe(1);
    expect(motion.lying(sample(140, 110, 75))).toBe(1);
  });
});
