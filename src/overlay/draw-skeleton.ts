import { convertLandmarks, getLayout, type LayoutName } from '../skeleton/layout';
import type { Landmark } from '../skeleton/types';
import { importanceColour, maxOf, minOf, NEUTRAL_COLOUR } from './colours';

export interface SkeletonStyle {
  /** Layout the skeleton is drawn in: the model's input layout, so joints match its per-joint importance. */
  layout: LayoutName;
  /** Joints under this visibility are not drawn (nor their bones). */
  minVisibility: number;
}

export interface DrawnPerson {
  /** BlazePose-33 image landmarks (x, y in [0, 1] of the frame). */
  landmarks: readonly Landmark[];
  /** Per-joint importance in `layout` order; undefined → neutral colour. */
  importance?: Float32Array;
}

/**
 * Draws people onto a canvas of the frame's size. Mirroring is a CSS transform on the canvas and video together,
 * so the drawing itself is never mirrored.
 */
export function drawSkeletons(ctx: CanvasRenderingContext2D, people: readonly DrawnPerson[], style: SkeletonStyle): void {
  const { width, height } = ctx.canvas;
  const layout = getLayout(style.layout);
  const radius = Math.max(3, height / 120);
  ctx.lineWidth = Math.max(2, height / 200);
  ctx.lineCap = 'round';
  for (const person of people) {
    const joints = style.layout === 'blazepose33' ? person.landmarks : convertLandmarks(person.landmarks, 'blazepose33', style.layout);
    const { importance } = person;
    // Importance is often close to uniform: spread the colours over this person's own min..max.
    const max = importance ? maxOf(importance) : 0;
    const min = importance ? minOf(importance) : 0;
    const colour = (v: number): string => (importance ? importanceColour(importance[v] ?? 0, max, min) : NEUTRAL_COLOUR);
    const visible = (v: number): boolean => (joints[v]?.[3] ?? 0) >= style.minVisibility;
    for (const [a, b] of layout.edges) {
      if (!visible(a) || !visible(b)) continue;
      const [ax, ay] = joints[a]!;
      const [bx, by] = joints[b]!;
      ctx.strokeStyle = colour(a);
      ctx.beginPath();
      ctx.moveTo(ax * width, ay * height);
      ctx.lineTo(bx * width, by * height);
      ctx.stroke();
    }
    joints.forEach(([x, y], v) => {
      if (!visible(v)) return;
      ctx.fillStyle = colour(v);
      ctx.beginPath();
      ctx.arc(x * width, y * height, radius, 0, 2 * Math.PI);
      ctx.fill();
    });
  }
}
