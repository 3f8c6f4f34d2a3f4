import type { Landmark, PoseFrame } from '../skeleton/types';

/** The parts of a MediaPipe PoseLandmarkerResult this app uses (structural, so tests need no MediaPipe). */
export interface LandmarkerPoint {
  x: number;
  y: number;
  z: number;
  visibility?: number;
}
export interface LandmarkerResult {
  landmarks: LandmarkerPoint[][];
  worldLandmarks: LandmarkerPoint[][];
}

export const BLAZEPOSE_LANDMARKS = 33;

function toLandmarks(points: readonly LandmarkerPoint[]): Landmark[] {
  return points.map((p) => [p.x, p.y, p.z, p.visibility ?? 0]);
}

/** MediaPipe's result → the pipeline's PoseFrame (the same shape as a recorded frame). */
export function toPoseFrame(result: LandmarkerResult, t: number, width: number, height: number): PoseFrame {
  const people = result.landmarks
    .map((landmarks, i) => ({ landmarks, world: result.worldLandmarks[i] ?? [] }))
    // A person without the full landmark set would break the BlazePose→NTU mapping downstream.
    .filter((p) => p.landmarks.length === BLAZEPOSE_LANDMARKS && p.world.length === BLAZEPOSE_LANDMARKS)
    .map((p) => ({ landmarks: toLandmarks(p.landmarks), world: toLandmarks(p.world) }));
  return { t, width, height, people };
}

/**
 * VIDEO mode needs strictly increasing timestamps; frames from a replayed or switched source may repeat or go
 * back in time, so the landmarker gets the capture time nudged past the last one it saw.
 */
export function nextVideoTimestamp(captureMs: number, lastMs: number): number {
  return captureMs > lastMs ? captureMs : lastMs + 1;
}

/** Reads the first bytes of a `.task` file: it is a zip archive, anything else is not a pose bundle. */
export function checkTaskBundle(bytes: Uint8Array, url: string): void {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
    throw new Error(`pose model ${url} is not a MediaPipe .task bundle (expected a zip archive, got ${bytes.length} bytes)`);
  }
}
