// What goes into and comes out of the window stage: canonical frames in, tracked people and skeleton windows out.
import { toCanonical } from '../skeleton/canonical';
import type { RawWindow } from '../skeleton/normalise';
import type { Landmark, PoseFrame } from '../skeleton/types';

/** A frame in canonical coordinates (docs/skeleton.md), the layout-neutral input of the assembler. */
export interface CanonicalFrame {
  t: number;
  people: Landmark[][];
}

export function poseFrameToCanonical(frame: PoseFrame): CanonicalFrame {
  return { t: frame.t, people: frame.people.map((person) => toCanonical(person.landmarks, frame.width, frame.height)) };
}

export interface TrackedPerson {
  id: number;
  /** Index of this person in the input frame's `people`. */
  index: number;
  /** Canonical pose after optional One Euro smoothing. */
  canonical: Landmark[];
}

export interface TrackedFrame {
  t: number;
  people: TrackedPerson[];
  /** Everyone still tracked, including people missing from this frame but not yet dropped. */
  activeIds: number[];
}

export interface SkeletonWindow {
  personId: number;
  /** Capture time (ms) of the frame that completed the window. */
  t: number;
  /** Grid times (ms) of the first and last sample. */
  tStart: number;
  tEnd: number;
  /** Fraction of the window's ticks in which the person was seen. */
  presence: number;
  /** (4, T, V, M) canonical [x, y, z, visibility] in `raw.layout`. */
  raw: RawWindow;
}
