// What a carer station knows of every kiosk, folded from the kiosks' messages (carer-messages.ts). Pure, DOM-free
// and order-tolerant: QoS 1 may deliver a message twice and topics are not ordered against each other, so an event
// seen twice counts once and an acknowledgement that overtakes its event still keeps that event from showing active.
import type { AckMessage, ClipMessage, EventMessage, KioskMessage, StatusMessage } from './carer-messages';

/** Ids remembered per kiosk to drop redeliveries and early acknowledgements; older ones are forgotten. */
export const REMEMBERED_IDS = 500;

export interface KioskView {
  kioskId: string;
  /** null until the kiosk's (retained) status arrives. */
  online: boolean | null;
  /** When the kiosk connected (its status's time). */
  since: string | null;
  lastEvent: EventMessage | null;
  /** Alerts not yet acknowledged, newest first. */
  alarms: EventMessage[];
  /** The latest acknowledgement of each acknowledged event still remembered. */
  acks: AckMessage[];
  /** Events whose skeleton clip this station holds. */
  clips: string[];
}

/** A kiosk as the reducer keeps it: the view plus the event ids it has sent (redeliveries are dropped). */
interface KioskRecord extends KioskView {
  seen: string[];
}

export interface StationState {
  kiosks: Readonly<Record<string, KioskRecord>>;
}

export const emptyStation = (): StationState => ({ kiosks: {} });

const newKiosk = (kioskId: string): KioskRecord => ({ kioskId, online: null, since: null, lastEvent: null, alarms: [], acks: [], clips: [], seen: [] });
const remember = <T>(list: T[], item: T): T[] => [item, ...list].slice(0, REMEMBERED_IDS);

function withStatus(kiosk: KioskRecord, status: StatusMessage): KioskRecord {
  return { ...kiosk, online: status.state === 'online', since: status.time };
}

function withEvent(kiosk: KioskRecord, event: EventMessage): KioskRecord {
  if (kiosk.seen.includes(event.id)) return kiosk;
  const acknowledged = kiosk.acks.some((ack) => ack.eventId === event.id);
  const newer = !kiosk.lastEvent || Date.parse(event.time) >= Date.parse(kiosk.lastEvent.time);
  return {
    ...kiosk,
    seen: remember(kiosk.seen, event.id),
    lastEvent: newer ? event : kiosk.lastEvent,
    alarms: acknowledged ? kiosk.alarms : remember(kiosk.alarms, event).sort((a, b) => Date.parse(b.time) - Date.parse(a.time)),
  };
}

function withAck(kiosk: KioskRecord, ack: AckMessage): KioskRecord {
  return { ...kiosk, alarms: kiosk.alarms.filter((event) => event.id !== ack.eventId), acks: remember(kiosk.acks.filter((a) => a.eventId !== ack.eventId), ack) };
}

function withClip(kiosk: KioskRecord, clip: ClipMessage): KioskRecord {
  return kiosk.clips.includes(clip.eventId) ? kiosk : { ...kiosk, clips: remember(kiosk.clips, clip.eventId) };
}

/** The station after one message from `message.kioskId`. */
export function reduceStation(state: StationState, message: KioskMessage): StationState {
  const kiosk = state.kiosks[message.kioskId] ?? newKiosk(message.kioskId);
  let next: KioskRecord;
  switch (message.schema) {
    case 'skeleton-sentinel/status':
      next = withStatus(kiosk, message);
      break;
    case 'skeleton-sentinel/event':
      next = withEvent(kiosk, message);
      break;
    case 'skeleton-sentinel/ack':
      next = withAck(kiosk, message);
      break;
    case 'skeleton-sentinel/clip':
      next = withClip(kiosk, message);
      break;
  }
  return next === kiosk && message.kioskId in state.kiosks ? state : { kiosks: { ...state.kiosks, [message.kioskId]: next } };
}

/** Kiosks in id order, for the screen (without the reducer's bookkeeping). */
export const kioskList = (state: StationState): KioskView[] =>
  Object.values(state.kiosks).sort((a, b) => a.kioskId.localeCompare(b.kioskId)).map(({ seen: _seen, ...view }) => view);
