import { describe, expect, it } from 'vitest';
import { ackMessage, clipFrames, clipMessage, eventMessage, parseKioskMessage, parseKioskTopic, statusMessage, type KioskMessage } from '../../../src/alerts/carer-messages';
import type { CarerNotification } from '../../../src/alerts/carer-outbox';
import { emptyStation, kioskList, reduceStation, type StationState } from '../../../src/alerts/station-state';
import type { EventClip } from '../../../src/events/event-log';

const notification = (id: string, time: string, type: CarerNotification['type'] = 'fall'): CarerNotification => ({
  source: 'skeleton-sentinel', id, type, message: 'm', time, confidence: 0.8, personId: 0, signals: {},
});
const fold = (messages: KioskMessage[], state: StationState = emptyStation()) => messages.reduce(reduceStation, state);

describe('carer station state', () => {
  it('shows each kiosk online or offline from its status, in id order', () => {
    const state = fold([
      statusMessage('room-2', 'online', new Date('2026-01-01T08:00:00Z')),
      statusMessage('room-1', 'online', new Date('2026-01-01T08:00:00Z')),
      statusMessage('room-2', 'offline', new Date('2026-01-01T08:00:00Z')),
    ]);
    expect(kioskList(state).map(({ kioskId, online }) => ({ kioskId, online }))).toEqual([{ kioskId: 'room-1', online: true }, { kioskId: 'room-2', online: false }]);
  });

  it('lists unacknowledged alarms newest first, counts a redelivered event once, keeps the newest as last event', () => {
    const early = eventMessage('room-1', notification('a', '2026-01-01T08:00:00Z'));
    const late = eventMessage('room-1', notification('b', '2026-01-01T08:05:00Z', 'on_floor'));
    const [kiosk] = kioskList(fold([late, early, late, early]));
    expect(kiosk!.alarms.map((event) => event.id)).toEqual(['b', 'a']);
    expect(kiosk!.lastEvent?.id).toBe('b');
    expect(kiosk!.online).toBeNull();
    expect(kiosk).not.toHaveProperty('seen');
  });

  it('an acknowledgement clears its alarm, also when it arrives before the event; a redelivery does not bring it back', () => {
    const event = eventMessage('room-1', notification('a', '2026-01-01T08:00:00Z'));
    const ack = ackMessage('room-1', 'a', 'nurses', new Date('2026-01-01T08:01:00Z'));
    for (const order of [[event, ack, event], [ack, event, event]]) {
      const [kiosk] = kioskList(fold(order));
      expect(kiosk!.alarms).toEqual([]);
      expect(kiosk!.acks).toEqual([ack]);
      expect(kiosk!.lastEvent?.id).toBe('a');
    }
  });

  it('records which events have a clip; a clip message round-trips to skeleton frames at most 10 per second', () => {
    const frames = Array.from({ length: 60 }, (_, i) => ({
      t: 1000 + (i * 1000) / 30, width: 640, height: 480,
      people: [{ landmarks: Array.from({ length: 33 }, (_, j) => [j / 33, 0.5, 0.1, 0.9] as [number, number, number, number]), world: [] }],
    }));
    const clip: EventClip = { id: 'a', fromT: 1000, toT: 3000, frames };
    const message = clipMessage('room-1', 2000, clip);
    expect(message.frames.length).toBeGreaterThanOrEqual(19);
    expect(message.frames.length).toBeLessThanOrEqual(21);
    const back = clipFrames(parseKioskMessage('clip', 'room-1', JSON.stringify(message)) as typeof message);
    expect(back[0]!.people[0]!.landmarks[3]).toEqual([0.0909, 0.5, 0, 0.9]);
    expect(kioskList(fold([message, message]))[0]!.clips).toEqual(['a']);
  });

  it('reads topics and payloads strictly: another kiosk id, version or schema is not a message', () => {
    expect(parseKioskTopic('care/home', 'care/home/room-1/event')).toEqual({ kioskId: 'room-1', kind: 'event' });
    expect(parseKioskTopic('care/home', 'care/home/room-1/video')).toBeNull();
    expect(parseKioskTopic('care/home', 'care/home/room-1/event/extra')).toBeNull();
    expect(parseKioskTopic('care/home', 'other/room-1/event')).toBeNull();
    const event = eventMessage('room-1', notification('a', '2026-01-01T08:00:00Z'));
    expect(parseKioskMessage('event', 'room-1', JSON.stringify(event))).toEqual(event);
    expect(parseKioskMessage('event', 'room-2', JSON.stringify(event))).toBeNull();
    expect(parseKioskMessage('event', 'room-1', JSON.stringify({ ...event, version: 2 }))).toBeNull();
    expect(parseKioskMessage('status', 'room-1', JSON.stringify(event))).toBeNull();
    expect(parseKioskMessage('event', 'room-1', 'not json')).toBeNull();
    expect(parseKioskMessage('clip', 'room-1', '')).toBeNull();
  });
});
