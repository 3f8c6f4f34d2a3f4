import type { EventClip } from '../events/event-log';
import { clipDurationMs, clipFrameAt } from '../events/review';
import { drawSkeletons } from '../overlay/draw-skeleton';

/**
 * Replays an event's skeleton clip on a plain background (skeletons only: no camera image is ever stored or sent),
 * the caption saying `label` and the time from the event. The canvas takes the frames' size. Returns a stop function.
 */
export function replayClip(canvas: HTMLCanvasElement, caption: HTMLElement, clip: EventClip, eventT: number, label: string, minVisibility: number): () => void {
  const context = canvas.getContext('2d');
  if (!context) return () => {};
  const duration = clipDurationMs(clip);
  const started = performance.now();
  let request = 0;
  const draw = () => {
    const offset = Math.min(duration, performance.now() - started);
    const frame = clipFrameAt(clip, offset);
    if (frame && (canvas.width !== frame.width || canvas.height !== frame.height)) [canvas.width, canvas.height] = [frame.width, frame.height];
    context.fillStyle = '#1d232b';
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (frame) drawSkeletons(context, frame.people.map((person) => ({ landmarks: person.landmarks })), { layout: 'blazepose33', minVisibility });
    const sinceEvent = (frame?.t ?? clip.fromT) - eventT;
    caption.textContent = `${label} · ${sinceEvent >= 0 ? '+' : '−'}${(Math.abs(sinceEvent) / 1000).toFixed(1)} s`;
    if (offset < duration) request = requestAnimationFrame(draw);
  };
  draw();
  return () => cancelAnimationFrame(request);
}
