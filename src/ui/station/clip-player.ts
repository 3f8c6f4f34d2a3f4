import { clipFrames, type ClipMessage } from '../../alerts/carer-messages';
import { replayClip } from '../clip-replay';

/**
 * Replays a kiosk's skeleton clip (a kiosk never sends video). `data-replaying` on the canvas names the event while
 * it plays (for tests).
 */
export function playClip(canvas: HTMLCanvasElement, caption: HTMLElement, clip: ClipMessage, title: string, minVisibility: number): () => void {
  const frames = clipFrames(clip);
  const eventClip = { id: clip.eventId, fromT: frames[0]?.t ?? clip.eventT, toT: frames.at(-1)?.t ?? clip.eventT, frames };
  [canvas.width, canvas.height] = [clip.width, clip.height];
  canvas.dataset.replaying = clip.eventId;
  return replayClip(canvas, caption, eventClip, clip.eventT, `${clip.kioskId} · ${title}`, minVisibility);
}
