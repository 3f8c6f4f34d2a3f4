import type { Landmark } from './types';

/**
 * MediaPipe image landmarks → canonical coordinates (docs/skeleton.md): units of image height, origin at the
 * image centre, y up, z towards the camera. Visibility is kept.
 */
export function toCanonical(landmarks: readonly Landmark[], width: number, height: number): Landmark[] {
  if (!(width > 0 && height > 0)) throw new Error(`image size must be positive, got ${width}x${height}`);
  const aspect = width / height;
  return landmarks.map(([x, y, z, visibility]) => [(x - 0.5) * aspect, -(y - 0.5), -z * aspect, visibility]);
}
