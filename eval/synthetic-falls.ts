/**
 * Falls for synthetic scripts: from standing or walking (forward, backward, sideways, fainting collapse, a slow
 * collapse), from sitting on a chair or a bed edge, onto a bed, and out of bed (rolling off it while lying); plus the
 * near fall that recovers.
 */
import { moved, upright, type BodyPose, type Step } from './synthetic-body';

/** Lying on a surface of this height (m): pelvis above it (0 = the floor). */
const restingHip = (surface: number, onSide = false) => surface + (onSide ? 0.14 : 0.12);

export type FallDirection = 'forward' | 'backward' | 'left' | 'right';

/** The pose a fall ends in: face down, on the back or on a side, on a surface of the given height. */
function landed(from: BodyPose, direction: FallDirection, surface: number, reach: number): BodyPose {
  if (direction === 'forward') {
    return { ...from, ...moved(from, reach), pitch: 90, roll: 0, hipY: restingHip(surface), hipFlex: [0, 5], knee: [10, 20], armFlex: [150, 160], elbow: [30, 30] };
  }
  if (direction === 'backward') {
    return { ...from, ...moved(from, -reach), pitch: -85, roll: 0, hipY: restingHip(surface), hipFlex: [35, 30], knee: [30, 25], armFlex: [120, 110], elbow: [20, 20] };
  }
  const side = direction === 'left' ? 1 : -1;
  return { ...from, ...moved(from, 0, reach * side), pitch: 0, roll: 88 * side, hipY: restingHip(surface, true), hipFlex: [20, 10], knee: [30, 20], armFlex: [90, 30] };
}

export const fallSteps = {
  /** Fall forward: knees buckle, then face down, arms reaching out. */
  fallForward: (speed = 1): Step[] => [
    (from) => ({ ms: 300 / speed, to: { ...from, pitch: 25, hipY: 0.8, hipFlex: [15, 15], knee: [35, 35], armFlex: [60, 60] }, ease: 'inOut' }),
    (from) => ({ ms: 550 / speed, to: landed(from, 'forward', 0, 0.8), ease: 'in' }),
  ],
  /** Fall backward: sits down hard, then the back hits the floor. */
  fallBackward: (speed = 1): Step[] => [
    (from) => ({ ms: 380 / speed, to: { ...from, ...moved(from, -0.2), pitch: -10, hipY: 0.5, hipFlex: [55, 50], knee: [70, 65], armFlex: [40, 50] }, ease: 'in' }),
    (from) => ({ ms: 420 / speed, to: landed(from, 'backward', 0, 0.5), ease: 'in' }),
  ],
  /** Fall to the side (side: +1 to the body's left, −1 to its right). */
  fallSideways: (side: 1 | -1 = 1, speed = 1): Step[] => [
    (from) => ({ ms: 300 / speed, to: { ...from, roll: 15 * side, hipY: 0.78, knee: [30, 30], hipFlex: [10, 10], armFlex: [40, 40] }, ease: 'inOut' }),
    (from) => ({ ms: 550 / speed, to: landed(from, side === 1 ? 'left' : 'right', 0, 0.7), ease: 'in' }),
  ],
  /** Collapse straight down (e.g. fainting): knees fold, then the body tips to the side. */
  collapse: (speed = 1): Step[] => [
    (from) => ({ ms: 500 / speed, to: { ...from, hipY: 0.35, pitch: 20, hipFlex: [100, 100], knee: [130, 130], armFlex: [10, 10] }, ease: 'in' }),
    (from) => ({ ms: 500 / speed, to: { ...from, ...moved(from, 0, 0.5), roll: 80, pitch: 10, hipY: 0.13, hipFlex: [60, 60], knee: [60, 60] }, ease: 'in' }),
  ],
  /** A slow collapse (weakness, a slide down a wall): the knees give way over `ms`, then the body tips over. */
  slowCollapse: (ms = 2500, side: 1 | -1 = 1): Step[] => [
    (from) => ({ ms: 0.65 * ms, to: { ...from, hipY: 0.42, pitch: 25, hipFlex: [95, 100], knee: [115, 120], armFlex: [20, 25] }, ease: 'inOut' }),
    (from) => ({ ms: 0.35 * ms, to: { ...from, ...moved(from, 0, 0.45 * side), roll: 80 * side, pitch: 10, hipY: 0.14, hipFlex: [60, 55], knee: [70, 60] }, ease: 'in' }),
  ],
  /** From sitting (a chair or a bed edge) to the floor, or onto the bed it sits on (surface = its height): the
   * trunk tips over, the body drops. */
  fallFromSitting: (direction: FallDirection, speed = 1, surface = 0): Step[] => [
    (from) => {
      const tip = direction === 'forward' ? { pitch: 40, ...moved(from, 0.2) } : direction === 'backward' ? { pitch: -30, ...moved(from, -0.1) }
        : { roll: (direction === 'left' ? 1 : -1) * 28, ...moved(from, 0, (direction === 'left' ? 1 : -1) * 0.15) };
      return { ms: 420 / speed, to: { ...from, ...tip, hipY: from.hipY - 0.05, armFlex: [50, 60] }, ease: 'in' };
    },
    (from) => ({ ms: 520 / speed, to: landed(from, direction, surface, 0.45), ease: 'in' }),
  ],
  /** From standing onto a bed of the given height (m): forward onto the front, backward onto the back, or sideways. */
  fallOntoBed: (bedHeight: number, direction: FallDirection, speed = 1): Step[] => [
    (from) => ({ ms: 300 / speed, to: { ...from, pitch: { forward: 25, backward: -15, left: 0, right: 0 }[direction], roll: { forward: 0, backward: 0, left: 15, right: -15 }[direction], hipY: 0.8, knee: [30, 30], armFlex: [60, 60] }, ease: 'inOut' }),
    (from) => ({ ms: 500 / speed, to: { ...landed(from, direction, bedHeight, 0.6), hipFlex: [35, 40], knee: [60, 70] }, ease: 'in' }),
  ],
  /** Out of bed while lying on it on the back (asleep, reaching for something): slides over the edge (side: +1
   * towards the body's left) and drops to the floor beside the bed, still lying. */
  rollOffBed: (side: 1 | -1 = 1, speed = 1): Step[] => [
    (from) => ({ ms: 450 / speed, to: { ...from, ...moved(from, 0, 0.3 * side), pitch: -85, roll: 15 * side, armFlex: [70, 40] }, ease: 'inOut' }),
    (from) => ({ ms: 400 / speed, to: { ...from, ...moved(from, 0, 0.3 * side), pitch: -85, roll: 0, hipY: restingHip(0), hipFlex: [30, 20], knee: [30, 20] }, ease: 'in' }),
  ],
  /** Trips, catches themself and stands again. */
  nearFall: (): Step[] => [
    (from) => ({ ms: 320, to: { ...from, ...moved(from, 0.35), pitch: 35, hipY: 0.78, hipFlex: [45, 5], knee: [40, 20], armFlex: [90, 80] }, ease: 'in' }),
    (from) => ({ ms: 700, to: upright(from), ease: 'inOut' }),
  ],
};
