/**
 * The steps synthetic scripts are made of (eval/synthetic.ts renders them): each builds a segment of motion
 * from the pose where the previous one ended. Daily activities here, falls in synthetic-falls.ts. Timings are those
 * of older people where it matters (slow rises; 1–2 s from sitting to lying on a bed, as in GMDCSA24).
 */
import { fallSteps } from './synthetic-falls';
import { moved, upright, type BodyPose, type Step } from './synthetic-body';

/** Hip flexion (relative to the torso) of sitting upright with the thighs level. */
const SEATED_HIP_FLEX = 95;
/** Hip flexion that keeps a seated person's thighs on the seat with the torso pitched forward by `pitch` (at most
 * 150°: the belly meets the thighs). */
const foldedOverSeat = (pitch: number): [number, number] => {
  const flex = Math.min(150, SEATED_HIP_FLEX + pitch - 3);
  return [flex, flex];
};

const seated = (from: BodyPose, seatHeight: number): BodyPose =>
  ({ ...from, hipY: seatHeight + 0.07, pitch: 3, roll: 0, hipFlex: [SEATED_HIP_FLEX, SEATED_HIP_FLEX], knee: [90, 90], armFlex: [30, 30], elbow: [60, 60] });

const dailySteps = {
  hold: (ms: number): Step => (from) => ({ ms, to: from, ease: 'linear' }),
  stand: (ms: number): Step => (from) => ({ ms, to: upright(from), ease: 'inOut' }),
  absent: (ms: number): Step => (from) => ({ ms, to: from, ease: 'linear', absent: true }),
  turn: (yaw: number, ms = 400): Step => (from) => ({ ms, to: { ...from, yaw }, ease: 'inOut' }),
  walkTo: (x: number, z: number, speed = 1.0): Step => (from) => {
    const distance = Math.hypot(x - from.x, z - from.z);
    return { ms: (distance / speed) * 1000, to: { ...upright(from), x, z }, ease: 'linear', gait: true };
  },
  /** Lying with breathing: the chest rises and falls a little. */
  lie: (ms: number): Step => (from) => ({ ms, to: { ...from, armFlex: [from.armFlex[0] + 3, from.armFlex[1] - 3] }, ease: 'inOut' }),
  /** Sits down on a seat of the given height (m) taking `ms`. */
  sitDown: (ms: number, seatHeight = 0.45): Step[] => [
    (from) => ({ ms, to: { ...seated(from, seatHeight), ...moved(from, -0.15), pitch: 12 }, ease: 'in' }),
    (from) => ({ ms: 300, to: { ...from, pitch: 3 }, ease: 'inOut' }),
  ],
  standUp: (ms = 1500): Step[] => [
    (from) => ({ ms: ms * 0.4, to: { ...from, pitch: 35 }, ease: 'inOut' }),
    (from) => ({ ms: ms * 0.6, to: { ...upright(from), ...moved(from, 0.15) }, ease: 'inOut' }),
  ],
  /** Bends at the waist with nearly straight legs (picking something up), holds, straightens. */
  bend: (holdMs = 2000): Step[] => [
    (from) => ({ ms: 900, to: { ...from, ...moved(from, -0.1), hipY: 0.85, pitch: 85, hipFlex: [75, 75], knee: [15, 15], armFlex: [85, 85] }, ease: 'inOut' }),
    steps.hold(holdMs),
    (from) => ({ ms: 900, to: upright(from), ease: 'inOut' }),
  ],
  /** Picks something up from the floor: the trunk goes past horizontal (pitch ≥ 90) for 1–2 s, knees bent. */
  pickUp: (pitch = 100, holdMs = 1500): Step[] => [
    (from) => ({ ms: 800, to: { ...from, ...moved(from, -0.12), hipY: 0.74, pitch, hipFlex: [pitch - 10, pitch - 5], knee: [35, 25], armFlex: [pitch, pitch - 10], elbow: [10, 10] }, ease: 'inOut' }),
    steps.hold(holdMs),
    (from) => ({ ms: 900, to: upright(from), ease: 'inOut' }),
  ],
  /** Seated, reaches down to the floor beside the chair (pitch ≥ 80) and sits up again. The thighs stay on the seat:
   * hipFlex is relative to the torso, so it grows with the pitch (folding over the thighs), up to what a hip allows. */
  pickUpFromChair: (pitch = 90, holdMs = 1500): Step[] => [
    (from) => ({ ms: 900, to: { ...from, pitch, roll: 10, hipFlex: foldedOverSeat(pitch), armFlex: [pitch + 10, pitch], elbow: [10, 10] }, ease: 'inOut' }),
    steps.hold(holdMs),
    (from) => ({ ms: 900, to: { ...from, pitch: 3, roll: 0, hipFlex: [SEATED_HIP_FLEX, SEATED_HIP_FLEX], armFlex: [30, 30], elbow: [60, 60] }, ease: 'inOut' }),
  ],
  /** Kneels upright on both knees, holds, stands again. */
  kneel: (holdMs = 3000): Step[] => [
    (from) => ({ ms: 1400, to: { ...from, hipY: 0.5, pitch: 5, hipFlex: [0, 0], knee: [90, 90], armFlex: [20, 20] }, ease: 'inOut' }),
    steps.hold(holdMs),
    (from) => ({ ms: 800, to: { ...from, hipFlex: [90, 0], knee: [90, 90], pitch: 15 }, ease: 'inOut' }),
    (from) => ({ ms: 1200, to: upright(from), ease: 'inOut' }),
  ],
  /** Squats (exercise): `count` times down to the thighs near horizontal and up, `ms` each. */
  squats: (count: number, ms = 2000): Step[] => Array.from({ length: count }, (): Step[] => [
    (from) => ({ ms: ms / 2, to: { ...from, hipY: 0.55, pitch: 35, hipFlex: [105, 105], knee: [110, 110], armFlex: [90, 90], elbow: [0, 0] }, ease: 'inOut' }),
    (from) => ({ ms: ms / 2, to: upright(from), ease: 'inOut' }),
  ]).flat(),
  /** Down to sitting on the floor (crouch, then sit with the legs forward, leaning on the hands). */
  sitOnFloor: (ms = 2500): Step[] => [
    (from) => ({ ms: ms / 2, to: { ...from, hipY: 0.45, pitch: 30, hipFlex: [110, 110], knee: [120, 120], armFlex: [40, 40] }, ease: 'inOut' }),
    (from) => ({ ms: ms / 2, to: { ...from, ...moved(from, -0.2), hipY: 0.12, pitch: -15, hipFlex: [75, 80], knee: [30, 60], armFlex: [-30, -30], elbow: [0, 0] }, ease: 'inOut' }),
  ],
  /** From sitting on a bed edge to lying on the bed (on the back, or on a side), turning along it, in `ms`. */
  lieOnBed: (ms = 1500, side: 1 | -1 = 1, onSide = false): Step => (from) => ({
    ms,
    to: { ...from, yaw: from.yaw + 90 * side, pitch: onSide ? 0 : -85, roll: onSide ? 85 * side : 0, hipY: from.hipY + (onSide ? 0.07 : 0.05), hipFlex: [10, 15], knee: [15, 25], armFlex: [20, 30], elbow: [40, 30] },
    ease: 'inOut',
  }),
  /** Back from lying on a bed to sitting on its edge (the reverse of lieOnBed with the same side). */
  sitUpOnBed: (ms = 2000, side: 1 | -1 = 1): Step => (from) => ({
    ms, to: { ...from, yaw: from.yaw - 90 * side, pitch: 3, roll: 0, hipY: from.hipY - (Math.abs(from.roll) > 45 ? 0.07 : 0.05), hipFlex: [95, 95], knee: [90, 90], armFlex: [30, 30], elbow: [60, 60] }, ease: 'inOut',
  }),
  /** Gets down to the floor on purpose: kneel, hands and knees, lie face down. */
  lieDownSlowly: (speed = 1): Step[] => [
    (from) => ({ ms: 2000 / speed, to: { ...from, hipY: 0.49, hipFlex: [0, 0], knee: [90, 90], pitch: 5 }, ease: 'inOut' }),
    (from) => ({ ms: 1500 / speed, to: { ...from, pitch: 80, hipFlex: [80, 80], armFlex: [80, 80], elbow: [0, 0] }, ease: 'inOut' }),
    (from) => ({
      ms: 2500 / speed,
      to: { ...from, ...moved(from, 0.45), hipY: 0.12, pitch: 90, hipFlex: [0, 0], knee: [5, 5], armFlex: [150, 150], elbow: [60, 60] },
      ease: 'inOut',
    }),
  ],
  /** From lying (any side) back to standing: roll face down, hands and knees, kneel, stand. */
  getUp: (speed = 1): Step[] => [
    (from) => ({ ms: 900 / speed, to: { ...from, roll: 0, pitch: 90, hipY: 0.14, hipFlex: [0, 0], knee: [10, 10] }, ease: 'inOut' }),
    ...dailySteps.getUpFromSitting(speed),
  ],
  /** From sitting on the floor to standing: onto hands and knees, kneel, stand (no lying down on the way). */
  getUpFromSitting: (speed = 1): Step[] => [
    (from) => ({ ms: 1500 / speed, to: { ...from, ...moved(from, -0.3), pitch: 80, roll: 0, hipY: 0.49, hipFlex: [80, 80], knee: [90, 90], armFlex: [80, 80], elbow: [0, 0] }, ease: 'inOut' }),
    (from) => ({ ms: 1200 / speed, to: { ...from, pitch: 5, hipFlex: [0, 0], armFlex: [10, 10] }, ease: 'inOut' }),
    (from) => ({ ms: 1400 / speed, to: upright(from), ease: 'inOut' }),
  ],
};

export const steps = { ...dailySteps, ...fallSteps };
