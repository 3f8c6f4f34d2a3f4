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

/** Zip end-of-central-directory record: 22 bytes plus a comment of at most 65535 bytes, at the end of the file. */
const EOCD_SIGNATURE = [0x50, 0x4b, 0x05, 0x06];
const EOCD_MIN = 22;
const EOCD_SEARCH = EOCD_MIN + 0xffff;

/**
 * A `.task` file is a zip archive. Zip readers (MediaPipe's too) locate it from the end, and Google's official
 * bundle has two bytes before its first entry, so look for the end record rather than a leading "PK".
 */
export function checkTaskBundle(bytes: Uint8Array, url: string): void {
  const stop = Math.max(0, bytes.length - EOCD_SEARCH);
  for (let i = bytes.length - EOCD_MIN; i >= stop; i--) {
    if (EOCD_SIGNATURE.every((byte, k) => bytes[i + k] === byte)) return;
  }
  throw new Error(`pose model ${url} is not a MediaPipe .task bundle (expected a zip archive, got ${bytes.length} bytes)`);
}
