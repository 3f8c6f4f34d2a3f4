import type { Landmark } from '../skeleton/types';

/** Where a frame of `frameW`×`frameH` lands inside a `boxW`×`boxH` element with `object-fit: contain`. */
export function containRect(frameW: number, frameH: number, boxW: number, boxH: number): { x: number; y: number; scale: number } {
  const scale = Math.min(boxW / frameW, boxH / frameH);
  return { x: (boxW - frameW * scale) / 2, y: (boxH - frameH * scale) / 2, scale };
}

/**
 * Screen position (px inside the stage) for a person's label: above the highest visible landmark, horizontally
 * at the mean of the visible ones; null when no landmark is visible. `mirrored` matches the CSS mirroring of the
 * video and canvas (the labels themselves are not mirrored, so their text stays readable).
 */
export function personTagPosition(
  landmarks: readonly Landmark[],
  minVisibility: number,
  frame: { width: number; height: number },
  stage: { width: number; height: number },
  mirrored: boolean,
): { left: number; top: number } | null {
  const visible = landmarks.filter((landmark) => landmark[3] >= minVisibility);
  if (visible.length === 0) return null;
  const meanX = visible.reduce((sum, [x]) => sum + x, 0) / visible.length;
  const topY = Math.min(...visible.map(([, y]) => y));
  const fit = containRect(frame.width, frame.height, stage.width, stage.height);
  const x = mirrored ? 1 - meanX : meanX;
  return { left: fit.x + x * frame.width * fit.scale, top: Math.max(0, fit.y + topY * frame.height * fit.scale) };
}
