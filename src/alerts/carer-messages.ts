// What kiosks and carer stations say to each other over MQTT (and the webhook's body): the topic layout and the
// versioned JSON payloads of docs/carer-station.md. Pure and renderer-safe; the station's reducer and both hosts
// build and check messages only here.
import type { EventClip } from '../events/event-log';
import type { PoseFrame } from '../skeleton';
import type { CarerNotification } from './carer-outbox';

/** Bumped when a field changes meaning or goes; new optional fields keep the version. */
export const PAYLOAD_VERSION = 1;

export type TopicKind = 'status' | 'event' | 'ack' | 'clip';

/** `{prefix}/{kioskId}/{kind}`: status and clip retained, event and ack not; all QoS 1. */
export function kioskTopic(prefix: string, kioskId: string, kind: TopicKind): string {
  return `${prefix}/${kioskId}/${kind}`;
}

/** What a station subscribes to: every kiosk's messages under `prefix`. */
export const stationSubscription = (prefix: string): string => `${prefix}/+/+`;

/** `{ kioskId, kind }` of a topic under `prefix`, or null for anything else. */
export function parseKioskTopic(prefix: string, topic: string): { kioskId: string; kind: TopicKind } | null {
  if (!topic.startsWith(`${prefix}/`)) return null;
  const rest = topic.slice(prefix.length + 1).split('/');
  if (rest.length !== 2 || rest[0] === '') return null;
  const kind = rest[1] as TopicKind;
  return ['status', 'event', 'ack', 'clip'].includes(kind) ? { kioskId: rest[0]!, kind } : null;
}

export interface StatusMessage {
  schema: 'skeleton-sentinel/status';
  version: number;
  kioskId: string;
  state: 'online' | 'offline';
  /** When the kiosk connected (also in its last will: the broker sends that unchanged). */
  time: string;
}

export interface EventMessage {
  schema: 'skeleton-sentinel/event';
  version: number;
  kioskId: string;
  /** Unique per event: a subscriber that sees an id twice (QoS 1 is at least once) drops the second. */
  id: string;
  type: CarerNotification['type'];
  personId: number | null;
  confidence: number;
  time: string;
  message: string;
  signals: CarerNotification['signals'];
}

export interface AckMessage {
  schema: 'skeleton-sentinel/ack';
  version: number;
  kioskId: string;
  eventId: string;
  /** Who acknowledged: a station's id. */
  by: string;
  time: string;
}

/** A skeleton clip, never video: per frame and person, [x, y, visibility] of each landmark, flattened. */
export interface ClipMessage {
  schema: 'skeleton-sentinel/clip';
  version: number;
  kioskId: string;
  eventId: string;
  /** The event's capture time; frame times are on the same clock. */
  eventT: number;
  layout: 'blazepose33';
  width: number;
  height: number;
  frames: Array<{ t: number; people: number[][] }>;
}

export type KioskMessage = StatusMessage | EventMessage | AckMessage | ClipMessage;

export const statusMessage = (kioskId: string, state: StatusMessage['state'], time: Date): StatusMessage => ({
  schema: 'skeleton-sentinel/status', version: PAYLOAD_VERSION, kioskId, state, time: time.toISOString(),
});

export function eventMessage(kioskId: string, notification: CarerNotification): EventMessage {
  const { id, type, personId, confidence, time, message, signals } = notification;
  return { schema: 'skeleton-sentinel/event', version: PAYLOAD_VERSION, kioskId, id, type, personId, confidence, time, message, signals };
}

export const ackMessage = (kioskId: string, eventId: string, by: string, time: Date): AckMessage => ({
  schema: 'skeleton-sentinel/ack', version: PAYLOAD_VERSION, kioskId, eventId, by, time: time.toISOString(),
});

/** Frames at most this often: a 20 s clip stays well under a megabyte. */
export const CLIP_FPS = 10;
const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function clipMessage(kioskId: string, eventT: number, clip: EventClip): ClipMessage {
  const frames: ClipMessage['frames'] = [];
  for (const frame of clip.frames) {
    const last = frames.at(-1);
    if (last && frame.t - last.t < 1000 / CLIP_FPS - 1) continue;
    frames.push({ t: Math.round(frame.t), people: frame.people.map((person) => person.landmarks.flatMap(([x, y, , v]) => [round(x, 4), round(y, 4), round(v, 2)])) });
  }
  const first = clip.frames[0];
  return {
    schema: 'skeleton-sentinel/clip', version: PAYLOAD_VERSION, kioskId, eventId: clip.id, eventT,
    layout: 'blazepose33', width: first?.width ?? 640, height: first?.height ?? 480, frames,
  };
}

/** A clip message's frames as pose frames for drawing (z unknown: 0; no world landmarks). */
export function clipFrames(clip: ClipMessage): PoseFrame[] {
  return clip.frames.map(({ t, people }) => ({
    t, width: clip.width, height: clip.height,
    people: people.map((flat) => {
      const landmarks: PoseFrame['people'][number]['landmarks'] = [];
      for (let i = 0; i + 2 < flat.length; i += 3) landmarks.push([flat[i]!, flat[i + 1]!, 0, flat[i + 2]!]);
      return { landmarks, world: [] };
    }),
  }));
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A message read off `topic`, checked against its kind; null when it is not one (or an empty retained clear). */
export function parseKioskMessage(kind: TopicKind, kioskId: string, payload: string): KioskMessage | null {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || value.schema !== `skeleton-sentinel/${kind}`) return null;
  if (value.version !== PAYLOAD_VERSION || value.kioskId !== kioskId) return null;
  const ok =
    kind === 'status' ? (value.state === 'online' || value.state === 'offline') && isText(value.time)
    : kind === 'event' ? isText(value.id) && isText(value.type) && typeof value.confidence === 'number' && isText(value.time)
    : kind === 'ack' ? isText(value.eventId) && isText(value.time)
    : isText(value.eventId) && typeof value.eventT === 'number' && Array.isArray(value.frames);
  return ok ? (value as unknown as KioskMessage) : null;
}
