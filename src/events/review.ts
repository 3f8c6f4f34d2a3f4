import { RecordingWriter } from '../recording';
import type { PoseFrame } from '../skeleton';
import type { EventClip, LoggedEvent } from './event-log';

/** Review screen logic (pure): exports and clip playback. The DOM part is review-screen.ts. */

const CSV_COLUMNS = ['id', 'type', 'time', 'confidence', 'personId', 'alert', 'acknowledgedAt', 'recoveredAt', 'clip', 'message', 'signals'] as const;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());

/** One row per event (RFC 4180 quoting); times in ISO 8601 UTC; signals as a JSON cell. */
export function eventsToCsv(events: readonly LoggedEvent[]): string {
  const rows = events.map((event) =>
    [
      event.id, event.type, iso(event.wallTime), event.confidence.toFixed(3), event.personId, event.alert,
      iso(event.acknowledgedAt), iso(event.recoveredAt), event.clip, event.message, event.signals,
    ].map(csvCell).join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

export function eventsToJson(events: readonly LoggedEvent[]): string {
  return `${JSON.stringify({ format: 'skeleton-sentinel-events', version: 1, events }, null, 2)}\n`;
}

/** A clip as a skeleton recording (JSONL), so it opens in the app's replay and in eval:falls. */
export function clipToRecording(clip: EventClip, fps: number): string {
  const first = clip.frames[0];
  if (!first) throw new Error(`event ${clip.id}: the clip has no frames`);
  const lines: string[] = [];
  const writer = new RecordingWriter((text) => lines.push(text), {
    format: 'skeleton-recording', version: 1, layout: 'blazepose33', fps, width: first.width, height: first.height, source: `event:${clip.id}`,
  });
  for (const frame of clip.frames) writer.append(frame);
  return lines.join('');
}

/** Playback position → frame: the latest frame at or before `fromT + offsetMs` (binary search). */
export function clipFrameAt(clip: EventClip, offsetMs: number): PoseFrame | null {
  const t = clip.frames[0] ? clip.frames[0].t + offsetMs : 0;
  let low = 0;
  let high = clip.frames.length - 1;
  let found: PoseFrame | null = null;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const frame = clip.frames[middle]!;
    if (frame.t <= t) {
      found = frame;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

export function clipDurationMs(clip: EventClip): number {
  return clip.frames.length > 1 ? clip.frames.at(-1)!.t - clip.frames[0]!.t : 0;
}
