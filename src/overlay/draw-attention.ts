import { importanceColour, maxOf, minOf } from './colours';

/** V×V spatial self-attention (row-major, row = query joint) as a heatmap filling the canvas, coloured over its min..max. */
export function drawAttentionHeatmap(ctx: CanvasRenderingContext2D, matrix: Float32Array, size: number): void {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  if (matrix.length !== size * size) return;
  const cellW = width / size;
  const cellH = height / size;
  const max = maxOf(matrix);
  const min = minOf(matrix);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      ctx.fillStyle = importanceColour(matrix[row * size + col]!, max, min);
      ctx.fillRect(col * cellW, row * cellH, Math.ceil(cellW), Math.ceil(cellH));
    }
  }
}

/**
 * Per-frame importance of the last window as bars, oldest frame left, newest right. Temporal attention is often
 * nearly flat, so the colour spans the window's own min..max while the height stays proportional.
 */
export function drawImportanceStrip(ctx: CanvasRenderingContext2D, importance: Float32Array): void {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  const max = maxOf(importance);
  const min = minOf(importance);
  if (importance.length === 0 || max <= 0) return;
  const barW = width / importance.length;
  importance.forEach((value, t) => {
    const barH = (value / max) * height;
    ctx.fillStyle = importanceColour(value, max, min);
    ctx.fillRect(t * barW, height - barH, Math.max(1, barW - 1), barH);
  });
}
