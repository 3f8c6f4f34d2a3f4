import type { PoseFrame } from '../skeleton/types';

/**
 * One frame from a video source. The image is grabbed only when the pose stage is ready for it (`grab`), so a
 * frame dropped by back-pressure costs nothing and leaves no ImageBitmap to close.
 */
export interface VideoFrameSample {
  kind: 'video';
  /** Capture time, ms on the performance.now() clock. */
  t: number;
  width: number;
  height: number;
  /** The frame as an ImageBitmap, owned by the caller (transfer it or close it). */
  grab(): Promise<ImageBitmap>;
}

/** A frame whose poses are already known (a replayed skeleton recording): it skips the pose stage. */
export interface PoseSample {
  kind: 'poses';
  t: number;
  frame: PoseFrame;
}

export type FrameSample = VideoFrameSample | PoseSample;
