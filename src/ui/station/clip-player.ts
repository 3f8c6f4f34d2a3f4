import { clipFrames, type ClipMessage } from '../../alerts/carer-messages';
import { clipDurationMs, clipFrameAt } from '../../events/review';
import { drawSkeletons } from '../../overlay/draw-skeleton';

/**
 * Replays a kiosk's skeleton clip on a plain background (skeletons only: a kiosk never sends video), with the time
 * from the event in the caption. `data-replaying` on the canvas names the event while it plays (for tests).
 */
export function playClip(canvas: HTMLCanvasElement, caption: HTMLElement, clip: ClipMessage, title: string, minVisibility: number): () => void {
  const frames = clipFrames(clip);
  const eventClip = { id: clip.eventId, fromT: frames[0]?.t ?? clip.eventT, toT: frames.at(-1)?.t ?? clip.eventT, frames };
  const context = canvas.getContext('2d');
  if (!context) return () => {};
  [canvas.width, canvas.height] = [clip.width, clip.height];
  canvas.dataset.replaying = clip.eventId;
  const duration = clipDurationMs(eventClip);
  const started = performance.now();
  let request = 0;
  const draw = () => {
    const offset = Math.min(duration, performance.now() - started);
    const frame = clipFrameAt(eventClip, offset);
    context.fillStyle = '#1d232b';
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (frame) drawSkeletons(context, frame.people.map((person) => ({ landmarks: person.landmarks })), { layout: 'blazepose33', minVisibility });
    const sinceEvent = (frame?.t ?? eventClip.fromT) - clip.eventT;
    caption.textContent = `${clip.kioskId} · ${title} · ${sinceEvent >= 0 ? '+' : '−'}${(Math.abs(sinceEvent) / 1000).toFixed(1)} s`;
    if (offset < duration) request = requestAnimationFrame(draw);
  };
  draw();
  return () => cancelAnimationFrame(request);
}
